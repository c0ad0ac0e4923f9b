"""The mail channel's rules, one by one: reply addresses, what counts as automatic mail,
what is folded away as quoted history, what is believed about a sender."""

import datetime

import pytest
from django.utils import timezone

from support.mail.models import Trust
from support.mail.parsing import LetterUnreadable, html_text, letter_parse, text_fold
from support.mail.threads import addressed_to_us, reply_address, reply_number
from support.mail.trust import sender_trust
from tests.support.mail import corpus

NOW = timezone.now()


# --- Reply addresses ---------------------------------------------------------------------------


def test_a_reply_address_carries_its_number():
    address = reply_address(number="12345678", now=NOW)
    assert address.startswith("support+12345678.") and address.endswith("@help.example.org")
    assert reply_number(address, now=NOW) == "12345678"
    assert reply_number(address.upper(), now=NOW) == "12345678"  # clients may change case


@pytest.mark.parametrize("days", [0, 1, 365])
def test_a_reply_address_holds_for_its_days(days):
    address = reply_address(number="12345678", now=NOW)
    assert reply_number(address, now=NOW + datetime.timedelta(days=days)) == "12345678"


@pytest.mark.parametrize("days", [366, 1000])
def test_a_stale_reply_address_is_refused(days):
    address = reply_address(number="12345678", now=NOW)
    assert reply_number(address, now=NOW + datetime.timedelta(days=days)) is None


def test_a_reply_address_from_the_future_is_refused():
    address = reply_address(number="12345678", now=NOW + datetime.timedelta(days=2))
    assert reply_number(address, now=NOW) is None


def test_the_token_lifetime_is_a_setting(settings):
    settings.MAIL_REPLY_TOKEN_DAYS = 10
    address = reply_address(number="12345678", now=NOW)
    assert reply_number(address, now=NOW + datetime.timedelta(days=10)) == "12345678"
    assert reply_number(address, now=NOW + datetime.timedelta(days=11)) is None


def _tampered(address: str, old: str, new: str) -> str:
    local, _at, domain = address.partition("@")
    return local.replace(old, new, 1) + "@" + domain


@pytest.mark.parametrize(
    "change",
    [
        lambda a: _tampered(a, "12345678", "12345679"),  # another appeal
        lambda a: a.replace("@help.example.org", "@evil.example"),  # another domain
        lambda a: a.replace("support+", "help+"),  # another mailbox
        lambda a: a[: a.index("@") - 2] + a[a.index("@") :],  # a shorter signature
        lambda a: a.replace("+", "+x"),  # garbage in the token
        lambda a: "support@help.example.org",  # no token at all
    ],
)
def test_a_changed_reply_address_is_refused(change):
    address = reply_address(number="12345678", now=NOW)
    assert reply_number(change(address), now=NOW) is None


def test_a_signature_from_another_secret_is_refused(settings):
    address = reply_address(number="12345678", now=NOW)
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert reply_number(address, now=NOW) is None


def test_another_day_under_the_same_signature_is_refused():
    address = reply_address(number="12345678", now=NOW)
    local, _at, domain = address.partition("@")
    base, number, day, signature = local.replace("+", ".").split(".")
    earlier_day = format(int(day, 36) - 1, "x")  # any other day
    forged = f"{base}+{number}.{earlier_day}.{signature}@{domain}"
    assert reply_number(forged, now=NOW) is None


@pytest.mark.parametrize(
    ("address", "ours"),
    [
        ("support@help.example.org", True),
        ("Support@Help.Example.org", True),
        ("support+12345678.abc.def@help.example.org", True),
        ("support@evil.example", False),
        ("supportx@help.example.org", False),
        ("info@help.example.org", False),
        ("support@help.example.org.evil.example", False),
    ],
)
def test_only_the_support_address_and_its_plus_addresses_are_ours(address, ours):
    assert addressed_to_us(address) is ours


# --- Automatic mail (RFC 3834) -------------------------------------------------------------------


def _headers(extra: str, *, sender: str = "citizen@example.ru") -> bytes:
    return corpus.plain(sender=sender, extra_headers=extra)


@pytest.mark.parametrize(
    "extra",
    [
        "Auto-Submitted: auto-replied\n",
        "Auto-Submitted: auto-generated\n",
        "Auto-Submitted: auto-notified\n",
        "Precedence: bulk\n",
        "Precedence: list\n",
        "Precedence: junk\n",
        "Precedence: auto_reply\n",
        "List-Id: <news.shop.example>\n",
        "List-Unsubscribe: <mailto:u@shop.example>\n",
        "List-Post: <mailto:l@shop.example>\n",
        "X-Autoreply: yes\n",
        "X-Autorespond: yes\n",
    ],
)
def test_automatic_mail_is_recognised(extra):
    assert letter_parse(_headers(extra), envelope_from="citizen@example.ru").automatic


@pytest.mark.parametrize(
    "extra", ["", "Auto-Submitted: no\n", "Precedence: first-class\n", "X-Mailer: Outlook\n"]
)
def test_a_persons_letter_is_not_automatic(extra):
    assert letter_parse(_headers(extra), envelope_from="citizen@example.ru").automatic == ""


@pytest.mark.parametrize(
    "sender",
    [
        "mailer-daemon@mx.example",
        "postmaster@mx.example",
        "noreply@shop.example",
        "no-reply@shop.example",
        "do-not-reply@shop.example",
    ],
)
def test_robot_senders_are_automatic(sender):
    parsed = letter_parse(_headers("", sender=sender), envelope_from=sender)
    assert parsed.automatic


@pytest.mark.parametrize("sender", ["noreplyne@example.ru", "replying@example.ru"])
def test_people_whose_names_look_robotic_are_not(sender):
    assert letter_parse(_headers("", sender=sender), envelope_from=sender).automatic == ""


@pytest.mark.parametrize("envelope", ["", "<>"])
def test_an_empty_envelope_sender_is_automatic(envelope):
    assert letter_parse(_headers(""), envelope_from=envelope).automatic == "MAIL FROM:<>"


def test_a_letter_without_a_sender_is_unreadable():
    raw = corpus.plain().replace(b"From: citizen@example.ru\n", b"From: not an address\n")
    with pytest.raises(LetterUnreadable) as unreadable:
        letter_parse(raw, envelope_from="x@example.ru")
    assert unreadable.value.parsed is not None and unreadable.value.parsed.subject == "Вопрос"


# --- Folding quoted history ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        "On Mon, Dec 7, 2026 at 10:40 AM Support <support@help.example.org> wrote:",
        "пн, 7 дек. 2026 г. в 10:40, Поддержка <support@help.example.org>:",
        '07.12.2026, 10:40, "Поддержка" <support@help.example.org>:',
        "Понедельник, 7 декабря 2026, 10:40 +03:00 от Поддержка <support@help.example.org>:",
        "Иван Иванов пишет:",
        "-----Original Message-----",
        "-----Исходное сообщение-----",
        "-- ",
        "Отправлено с iPhone",
        "Sent from my iPhone",
    ],
)
def test_quoted_history_and_signatures_are_folded(header):
    text = f"Мой ответ.\n\n{header}\nстарое письмо\n> цитата"
    assert text_fold(text) == "Мой ответ."


def test_an_outlook_header_block_is_folded():
    text = "Мой ответ.\n\nОт: Поддержка\nОтправлено: 7 декабря 2026 г.\nКому: Иван\nстарое"
    assert text_fold(text) == "Мой ответ."


def test_a_from_line_without_a_date_below_is_kept():
    text = "От: Ивана Иванова, паспорт 1234.\nПрошу проверить."
    assert text_fold(text) == text


def test_trailing_quotes_fold_but_interleaved_answers_stay():
    assert text_fold("Ответ.\n> вопрос\n> ещё") == "Ответ."
    interleaved = "> Номер квитанции?\n12-345\n> Дата?\n3 декабря"
    assert text_fold(interleaved) == interleaved


def test_a_forwarded_letter_is_never_folded():
    text = "Смотрите ниже.\n\n---------- Forwarded message ---------\nFrom: a@b\nDate: x\n\nтекст"
    assert text_fold(text) == text


def test_folding_that_would_leave_nothing_keeps_everything():
    assert text_fold("> только цитата") == "> только цитата"


def test_html_is_safe_text():
    text = html_text(
        "<head><title>t</title></head><p>Раз&nbsp;&amp; <b>два</b></p><script>x()</script>"
        "<style>p{}</style><div>три<br>четыре</div><img src=x onerror=alert(1)>"
    )
    assert text == "Раз & два\nтри\nчетыре"


# --- What is believed about a sender ------------------------------------------------------------


def _trust(results: list[str], domain: str = "gmail.com"):
    return sender_trust(results=results, sender_domain=domain)


def test_without_an_authserv_id_nothing_is_checked_and_the_address_is_taken(settings):
    settings.MAIL_AUTHSERV_ID = ""
    trust = _trust(["mx.help.example.org; dmarc=fail"])
    assert trust.level == Trust.UNCHECKED and trust.believed


@pytest.mark.parametrize(
    ("results", "level"),
    [
        (["mx.help.example.org; dmarc=pass header.from=gmail.com"], Trust.VERIFIED),
        (["mx.help.example.org; dkim=pass header.d=gmail.com"], Trust.VERIFIED),
        (["mx.help.example.org; dkim=pass header.i=@gmail.com"], Trust.VERIFIED),
        (["MX.help.example.org; dkim=pass header.d=gmail.com"], Trust.VERIFIED),
        (
            ["mx.help.example.org; dkim=fail header.d=gmail.com; dkim=pass header.d=gmail.com"],
            Trust.VERIFIED,
        ),
        (["mx.help.example.org; dkim=pass header.d=other.example"], Trust.UNVERIFIED),
        (
            ["mx.help.example.org; dkim=pass header.d=other.example; dkim=pass header.d=gmail.com"],
            Trust.VERIFIED,
        ),
        (
            ["mx.help.example.org; dkim=fail header.d=gmail.com; dkim=pass header.d=other.example"],
            Trust.UNVERIFIED,
        ),
        (["mx.help.example.org; dmarc=pass", "mx.help.example.org; dkim=fail"], Trust.VERIFIED),
        (["mx.help.example.org; dkim=neutral header.d=gmail.com"], Trust.UNVERIFIED),
        ([""], Trust.UNKNOWN),
        (["mx.help.example.org; spf=pass smtp.mailfrom=gmail.com"], Trust.UNVERIFIED),
        (["mx.help.example.org; dkim=fail header.d=gmail.com; dmarc=fail"], Trust.UNVERIFIED),
        (["mx.help.example.org; none"], Trust.UNKNOWN),
        (["attacker.example; dkim=pass header.d=gmail.com; dmarc=pass"], Trust.UNKNOWN),
        ([], Trust.UNKNOWN),
    ],
)
def test_only_our_mtas_results_count(settings, results, level):
    settings.MAIL_AUTHSERV_ID = "mx.help.example.org"
    trust = _trust(results)
    assert trust.level == level
    assert trust.believed is (level == Trust.VERIFIED)


def test_a_subdomain_signature_counts_for_its_parent(settings):
    settings.MAIL_AUTHSERV_ID = "mx.help.example.org"
    assert _trust(["mx.help.example.org; dkim=pass header.d=mail.ru"], "bk.mail.ru").believed
    assert not _trust(["mx.help.example.org; dkim=pass header.d=il.ru"], "mail.ru").believed


def test_the_results_are_kept_for_the_operator(settings):
    settings.MAIL_AUTHSERV_ID = "mx.help.example.org"
    trust = _trust(["mx.help.example.org; dkim=pass header.d=gmail.com; spf=softfail"])
    assert trust.results == "dkim=pass (gmail.com); spf=softfail"


# --- Charsets -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("letter", "subject", "words"),
    [
        (corpus.windows_1251_with_rfc2231_name, "Вопрос по заявлению", "Прикладываю паспорт"),
        (corpus.koi8r_base64, "Не приходит СМС", "Не приходит СМС с кодом"),
    ],
)
def test_russian_charsets_read_as_russian(letter, subject, words):
    parsed = letter_parse(letter(), envelope_from="x@example.ru")
    assert parsed.subject == subject and words in parsed.text


def test_a_part_without_a_charset_or_with_a_wrong_one_still_reads():
    body = "Привет из старого клиента".encode("windows-1251")
    raw = (
        b"From: a@example.ru\nTo: support@help.example.org\nSubject: x\nMessage-ID: <c@x>\n"
        b"MIME-Version: 1.0\nContent-Type: text/plain; charset=x-unknown\n"
        b"Content-Transfer-Encoding: 8bit\n\n" + body + b"\n"
    )
    assert letter_parse(raw, envelope_from="a@example.ru").text == "Привет из старого клиента"


def test_a_letter_forwarded_as_an_attachment_is_read_into_the_text():
    parsed = letter_parse(corpus.forwarded_as_attachment(), envelope_from="ivanov@company.ru")
    assert parsed.attachments == []
    assert parsed.text.startswith("Пересылаю отказ МФЦ.")
    assert "Тема: Отказ в приёме" in parsed.text
    assert "От: МФЦ <info@mfc.example>" in parsed.text
    assert "нет справки 2-НДФЛ" in parsed.text


def test_runs_of_blank_lines_in_html_collapse_to_one():
    assert html_text("<p>один</p><p></p><p></p><p></p><p>два</p>") == "один\n\nдва"
