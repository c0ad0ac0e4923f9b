"""The corpus, each letter processed as it should be: what becomes an appeal, what joins
one, what is only recorded, and what goes back (or, for automatic mail, never does)."""

import datetime
from email import message_from_bytes, policy

import pytest
from django.core import mail
from django.utils import timezone

from portal.workcalendar.selectors import working_days_add
from support.appeals import actions
from support.appeals.models import Appeal, AppealEvent, EventKind, Status
from support.appeals.rules import MAX_DESCRIPTION
from support.centre.uploads import FILE_TYPE_NOT_ALLOWED
from support.mail.actions import letter_process, letters_resume
from support.mail.models import InboundLetter, OutboundLetter, State
from support.mail.threads import reply_address, reply_number
from tests.portal.factories import UserFactory
from tests.support.appeals.factories import operator_make
from tests.support.mail import corpus

pytestmark = pytest.mark.django_db


def _only_appeal() -> Appeal:
    appeals = list(Appeal.objects.all())
    assert len(appeals) == 1, appeals
    return appeals[0]


def _reply_to(message) -> str:
    return message.reply_to[0]


# --- New letters become appeals ---------------------------------------------------------------


def test_outlook_html_letter_becomes_an_appeal_with_safe_text_and_its_files(deliver, mail_topic):
    letter = deliver(corpus.outlook_html())

    appeal = _only_appeal()
    assert letter.state == State.APPEAL and letter.appeal == appeal
    assert appeal.topic == mail_topic
    assert appeal.email == "ivanov@company.ru"
    assert appeal.answer_channel == "email"
    assert appeal.subject == "Не отправляется заявление"
    assert "после шага «Фото» форма" in appeal.description
    assert "Прошу помочь & ответить до пятницы." in appeal.description
    # Tags, scripts and styles are gone; the quoted notification below the line is folded.
    for gone in ("<", "alert", "MsoNormal", "Ваше заявление не отправлено", "Отправлено:"):
        assert gone not in appeal.description, gone
    assert "Ваше заявление не отправлено" in letter.text  # kept whole for staff
    names = sorted(appeal.attachments.values_list("original_name", flat=True))
    assert names == ["image001.png", "Квитанция.pdf"]
    assert appeal.due_date == working_days_add(start=timezone.localdate(), days=5)


def test_the_automatic_reply_gives_number_and_date_and_threads(deliver):
    deliver(corpus.outlook_html(message_id="<outlook-42@company.ru>"))
    appeal = _only_appeal()

    assert len(mail.outbox) == 1
    reply = mail.outbox[0]
    assert reply.to == ["ivanov@company.ru"]
    assert appeal.number in reply.body
    assert f"{appeal.due_date.day} " in reply.body and str(appeal.due_date.year) in reply.body
    assert "ответьте на него" in reply.body
    headers = reply.extra_headers
    assert headers["In-Reply-To"] == "<outlook-42@company.ru>"
    assert headers["References"] == "<outlook-42@company.ru>"
    assert headers["Auto-Submitted"] == "auto-replied"
    assert headers["Message-ID"].endswith("@help.example.org>")
    assert reply_number(_reply_to(reply)) == appeal.number
    assert OutboundLetter.objects.get(message_id=headers["Message-ID"]).appeal == appeal


def test_windows_1251_letter_with_rfc2231_name_and_a_refused_file(deliver):
    letter = deliver(corpus.windows_1251_with_rfc2231_name())

    appeal = _only_appeal()
    assert appeal.subject == "Вопрос по заявлению"
    assert "Прикладываю паспорт в PDF" in appeal.description
    assert "Пётр Петрович" not in appeal.description  # the signature after "-- " is folded
    assert list(appeal.attachments.values_list("original_name", flat=True)) == [
        "Скан паспорта (страница 2).pdf"
    ]
    assert len(letter.refused_files) == 1 and "«setup.exe»" in letter.refused_files[0]
    body = mail.outbox[0].body
    assert "«setup.exe»" in body and str(FILE_TYPE_NOT_ALLOWED) in body


def test_koi8r_base64_letter_reads_as_russian(deliver):
    deliver(corpus.koi8r_base64())
    appeal = _only_appeal()
    assert appeal.subject == "Не приходит СМС"
    assert appeal.description == "Добрый вечер! Не приходит СМС с кодом подтверждения на телефон."


def test_a_forwarded_letter_keeps_what_was_forwarded(deliver):
    deliver(corpus.gmail_forward())
    appeal = _only_appeal()
    assert appeal.subject.startswith("Fwd: Отказ в приёме документов")
    assert "Пересылаю письмо из МФЦ" in appeal.description
    assert "не приложена справка 2-НДФЛ" in appeal.description


def test_a_one_megabyte_letter_fits_the_appeal_and_is_kept_whole(deliver):
    raw = corpus.big_text()
    assert len(raw) > 1024 * 1024
    letter = deliver(raw)

    appeal = _only_appeal()
    assert len(appeal.description) <= MAX_DESCRIPTION
    assert appeal.description.startswith("Начало письма.")
    assert "полный текст (1048576 знаков) сохранён у оператора" in appeal.description
    assert len(letter.text) == 1024 * 1024
    assert bytes(letter.raw) == raw
    assert "полный текст сохранён и виден оператору" in mail.outbox[0].body


def test_a_confirmed_account_sees_the_appeal_in_my_applications(deliver, client):
    citizen = UserFactory(username="anna", email="Petrova.Anna@gmail.com")
    deliver(corpus.plain(sender="petrova.anna@gmail.com"))
    appeal = _only_appeal()
    assert appeal.author == citizen

    client.force_login(citizen)
    page = client.get("/my/applications/")
    assert appeal.number in page.content.decode()


def test_an_unconfirmed_account_gets_nothing_in_its_cabinet(deliver):
    UserFactory(username="anna", email="anna@example.ru", email_verified=False)
    deliver(corpus.plain(sender="anna@example.ru"))
    assert _only_appeal().author is None


def test_the_operator_sees_what_is_known_about_the_sender(deliver):
    deliver(corpus.plain())
    note = AppealEvent.objects.get(step=EventKind.NOTE)
    assert not note.is_public
    assert "citizen@example.ru" in note.text and "Не проверялся" in note.text


# --- Trust: what the MTA verified ------------------------------------------------------------


def _signed(results: str) -> str:
    return f"Authentication-Results: {results}\n"


@pytest.mark.parametrize(
    ("results", "linked"),
    [
        ("mx.help.example.org; dkim=pass header.d=gmail.com; spf=pass; dmarc=pass", True),
        ("mx.help.example.org; dkim=pass header.d=gmail.com; spf=fail", True),
        ("mx.help.example.org; dkim=pass header.d=evil.example; dmarc=fail", False),
        ("mx.help.example.org; dkim=fail header.d=gmail.com; spf=pass; dmarc=fail", False),
        # Written by somebody else (the sender, say): not believed.
        ("attacker.example; dkim=pass header.d=gmail.com; dmarc=pass", False),
    ],
)
def test_an_account_is_linked_only_when_our_mta_verified_the_sender(
    deliver, settings, results, linked
):
    settings.MAIL_AUTHSERV_ID = "mx.help.example.org"
    citizen = UserFactory(username="anna", email="petrova.anna@gmail.com")
    letter = deliver(corpus.plain(sender="petrova.anna@gmail.com", extra_headers=_signed(results)))
    assert (_only_appeal().author == citizen) is linked
    assert letter.trust == ("verified" if linked else letter.trust)
    if not linked:
        assert letter.trust in ("unverified", "unknown")


# --- Threads ----------------------------------------------------------------------------------


@pytest.fixture
def registered(deliver):
    deliver(corpus.plain(sender="petrova.anna@gmail.com", message_id="<first@gmail.com>"))
    appeal = _only_appeal()
    return appeal


def _answer(appeal, step, django_capture_on_commit_callbacks, **kwargs):
    operator = operator_make("op-mail")
    with django_capture_on_commit_callbacks(execute=True):
        step(appeal=appeal, actor=operator, **kwargs)
    appeal.refresh_from_db()
    return mail.outbox[-1]


def test_the_operators_answer_clarification_and_closing_go_out_in_the_thread(
    registered, django_capture_on_commit_callbacks
):
    appeal = registered
    first_reply = mail.outbox[0].extra_headers["Message-ID"]

    asked = _answer(
        appeal,
        actions.appeal_request_clarification,
        django_capture_on_commit_callbacks,
        text="Пришлите номер квитанции.",
    )
    assert asked.to == ["petrova.anna@gmail.com"]
    assert "Пришлите номер квитанции." in asked.body
    assert "ответьте на это письмо" in asked.body
    assert asked.extra_headers["In-Reply-To"] == first_reply
    assert asked.extra_headers["References"].split() == ["<first@gmail.com>", first_reply]
    assert "Auto-Submitted" not in asked.extra_headers
    assert reply_number(_reply_to(asked)) == appeal.number

    answered = _answer(
        appeal, actions.appeal_answer, django_capture_on_commit_callbacks, text="Готово."
    )
    assert answered.extra_headers["In-Reply-To"] == asked.extra_headers["Message-ID"]
    closed = _answer(appeal, actions.appeal_close, django_capture_on_commit_callbacks)
    assert closed.extra_headers["References"].split()[0] == "<first@gmail.com>"
    assert OutboundLetter.objects.filter(appeal=appeal).count() == 4


def test_a_reply_to_a_clarification_request_is_the_citizens_answer(
    registered, deliver, django_capture_on_commit_callbacks
):
    appeal = registered
    asked = _answer(
        appeal,
        actions.appeal_request_clarification,
        django_capture_on_commit_callbacks,
        text="Пришлите номер квитанции.",
    )
    letter = deliver(
        corpus.gmail_reply(to=_reply_to(asked), in_reply_to=asked.extra_headers["Message-ID"])
    )

    assert letter.state == State.REPLY and letter.appeal == appeal
    assert Appeal.objects.count() == 1
    appeal.refresh_from_db()
    assert appeal.status == Status.IN_PROGRESS
    event = appeal.events.get(step=EventKind.CLARIFY)
    assert event.text == "Спасибо! Номер квитанции 12-345, оплачивала 3 декабря."
    assert event.is_public


def test_a_reply_while_the_appeal_is_worked_on_is_an_addition(registered, deliver):
    appeal = registered
    letter = deliver(
        corpus.gmail_reply(
            to=_reply_to(mail.outbox[0]),
            message_id="<add-1@mail.gmail.com>",
            text="Забыла добавить: заявление подавала с компьютера.",
        )
    )
    assert letter.state == State.REPLY
    appeal.refresh_from_db()
    assert appeal.status == Status.REGISTERED
    added = appeal.events.get(step=EventKind.ADD)
    assert added.text == "Забыла добавить: заявление подавала с компьютера."


def test_a_reply_with_a_refused_file_names_it_in_the_thread(registered, deliver):
    raw = corpus.windows_1251_with_rfc2231_name(
        sender="petrova.anna@gmail.com", to=_reply_to(mail.outbox[0]), message_id="<r2@x>"
    )
    letter = deliver(raw)
    assert letter.state == State.REPLY
    added = registered.events.get(step=EventKind.ADD)
    assert "«setup.exe»" in added.text
    assert registered.attachments.filter(original_name__startswith="Скан паспорта").exists()


def test_a_reply_to_a_closed_appeal_starts_a_new_one_that_names_it(
    registered, deliver, django_capture_on_commit_callbacks
):
    closed = _answer(
        registered, actions.appeal_close, django_capture_on_commit_callbacks, text="Дубликат."
    )
    letter = deliver(corpus.gmail_reply(to=_reply_to(closed), message_id="<after-close@x>"))

    assert letter.state == State.APPEAL and letter.appeal != registered
    assert f"Продолжение обращения № {registered.number}" in letter.appeal.description


def test_a_forged_token_starts_a_new_appeal(registered, deliver):
    good = _reply_to(mail.outbox[0])
    forged = good[: good.index("@") - 1] + ("0" if good[good.index("@") - 1] != "0" else "1")
    forged += good[good.index("@") :]
    letter = deliver(corpus.gmail_reply(to=forged, message_id="<forged@x>", in_reply_to="<n@x>"))

    assert letter.state == State.APPEAL and letter.appeal != registered
    assert "неверной или устаревшей подписью" in letter.error
    assert not registered.events.filter(step=EventKind.ADD).exists()


def test_another_appeals_number_with_my_own_token_does_not_join(registered, deliver):
    """A valid token is for one number: swapping the number breaks the signature."""
    good = _reply_to(mail.outbox[0])
    other = good.replace(registered.number, "12345678")
    letter = deliver(corpus.gmail_reply(to=other, message_id="<swap@x>", in_reply_to="<n@x>"))
    assert letter.appeal != registered and letter.state == State.APPEAL


def test_a_stale_token_starts_a_new_appeal(registered, deliver, settings):
    old = reply_address(number=registered.number, now=timezone.now() - datetime.timedelta(days=400))
    assert reply_number(old) is None
    letter = deliver(corpus.gmail_reply(to=old, message_id="<stale@x>", in_reply_to="<n@x>"))
    assert letter.state == State.APPEAL and letter.appeal != registered


def test_a_genuine_token_from_someone_else_never_joins(registered, deliver):
    letter = deliver(
        corpus.gmail_reply(
            sender="stranger@example.ru", to=_reply_to(mail.outbox[0]), message_id="<s@x>"
        )
    )
    assert letter.state == State.APPEAL
    assert letter.appeal != registered and letter.appeal.email == "stranger@example.ru"
    assert not registered.events.filter(step=EventKind.ADD).exists()


def test_a_reply_without_the_reply_address_threads_by_references_from_the_same_sender(
    registered, deliver
):
    ours = mail.outbox[0].extra_headers["Message-ID"]
    letter = deliver(corpus.gmail_reply(in_reply_to=ours, message_id="<ref@x>"))
    assert letter.state == State.REPLY and letter.appeal == registered
    stranger = deliver(
        corpus.gmail_reply(sender="other@example.ru", in_reply_to=ours, message_id="<ref2@x>")
    )
    assert stranger.appeal != registered


# --- Loops and abuse -------------------------------------------------------------------------


@pytest.mark.parametrize("letter", [corpus.vacation_reply, corpus.mailing_list])
def test_automatic_mail_gets_no_reply_and_makes_no_appeal(deliver, letter):
    stored = deliver(letter())
    assert stored.state == State.AUTOMATIC
    assert not Appeal.objects.exists()
    assert mail.outbox == []


def test_an_automatic_reply_to_our_letter_is_recorded_on_its_thread(registered, deliver):
    stored = deliver(corpus.vacation_reply(to=_reply_to(mail.outbox[0])))
    assert stored.state == State.AUTOMATIC and stored.appeal == registered
    assert len(mail.outbox) == 1  # only the first automatic reply, nothing back


def test_a_bounce_is_recorded_on_the_appeal_not_turned_into_one(registered, deliver):
    ours = mail.outbox[0].extra_headers["Message-ID"]
    stored = deliver(
        corpus.bounce(original_message_id=ours, recipient="petrova.anna@gmail.com"),
        envelope_from="",
    )
    assert stored.state == State.REPORT and stored.appeal == registered
    assert Appeal.objects.count() == 1
    note = registered.events.get(step=EventKind.UNDELIVERED)
    assert not note.is_public and "5.1.1" in note.text and "User unknown" in note.text
    assert len(mail.outbox) == 1


def test_a_bounce_for_a_letter_we_never_sent_is_only_kept(deliver):
    stored = deliver(corpus.bounce(original_message_id="<unknown@x>"), envelope_from="")
    assert stored.state == State.REPORT and stored.appeal is None
    assert not Appeal.objects.exists() and mail.outbox == []


def test_a_flood_from_one_sender_is_held_without_replies(deliver, settings):
    settings.MAIL_FLOOD_PER_SENDER = 2
    states = [
        deliver(corpus.plain(message_id=f"<flood-{n}@x>", text=f"Письмо {n}")).state
        for n in range(4)
    ]
    assert states == [State.APPEAL, State.APPEAL, State.LIMITED, State.LIMITED]
    assert Appeal.objects.count() == 2 and len(mail.outbox) == 2


def test_a_flood_from_one_domain_is_held_but_shared_services_count_per_address(deliver, settings):
    settings.MAIL_FLOOD_PER_DOMAIN = 2
    spam = [
        deliver(corpus.plain(sender=f"u{n}@spam.example", message_id=f"<d{n}@x>")).state
        for n in range(3)
    ]
    assert spam == [State.APPEAL, State.APPEAL, State.LIMITED]
    shared = [
        deliver(corpus.plain(sender=f"u{n}@mail.ru", message_id=f"<m{n}@x>")).state
        for n in range(3)
    ]
    assert shared == [State.APPEAL] * 3


# --- Nothing lost ------------------------------------------------------------------------------


def test_a_duplicate_by_message_id_is_ignored(deliver):
    first = deliver(corpus.plain(message_id="<same@x>"))
    second = deliver(corpus.plain(message_id="<same@x>"))
    assert first.state == State.APPEAL and second.state == State.DUPLICATE
    assert Appeal.objects.count() == 1 and len(mail.outbox) == 1


def test_an_unreadable_letter_waits_for_staff_and_is_kept_raw(deliver, admin_client):
    letter = deliver(corpus.garbage(), envelope_from="probe@example.ru")
    assert letter.state == State.FAILED and letter.error
    assert bytes(letter.raw) == corpus.garbage()
    assert not Appeal.objects.exists() and mail.outbox == []

    queue = admin_client.get("/admin/mail/inboundletter/?needs_staff=yes")
    assert queue.status_code == 200 and "probe@example.ru" in queue.content.decode()
    raw = admin_client.get(f"/admin/mail/inboundletter/{letter.pk}/raw/")
    assert raw.status_code == 200 and raw.content == corpus.garbage()
    assert raw["Content-Disposition"].startswith("attachment")


def test_an_operator_sees_the_failed_letters_in_the_admin(deliver, client):
    letter = deliver(corpus.plain(text="", subject="Пусто", message_id="<empty@x>"))
    assert letter.state == State.FAILED
    client.force_login(operator_make("op-admin"))
    page = client.get("/admin/mail/inboundletter/?needs_staff=yes")
    assert page.status_code == 200
    assert "citizen@example.ru" in page.content.decode()


def test_a_failure_mid_processing_writes_nothing_half_done(deliver, monkeypatch):
    from support.appeals import actions as appeal_actions

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(appeal_actions, "appeal_note_add", broken)
    letter = deliver(corpus.plain())
    assert letter.state == State.FAILED and "disk full" in letter.error
    assert not Appeal.objects.exists()  # registered, then rolled back with the failure
    assert mail.outbox == []


def test_a_crash_mid_processing_is_processed_again_once(
    mail_topic, django_capture_on_commit_callbacks
):
    long_ago = timezone.now() - datetime.timedelta(hours=1)

    def processing(raw: bytes, *, attempts: int, since: datetime.datetime, **fields):
        return InboundLetter.objects.create(
            raw=raw, size=1, state=State.PROCESSING, attempts=attempts, processed_at=since, **fields
        )

    crashed = processing(
        corpus.plain(), attempts=1, since=long_ago, envelope_from="citizen@example.ru"
    )
    twice = processing(corpus.plain(message_id="<p2@x>"), attempts=2, since=long_ago)
    working = processing(corpus.plain(message_id="<p3@x>"), attempts=1, since=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert letters_resume() == 1

    crashed.refresh_from_db(), twice.refresh_from_db(), working.refresh_from_db()
    assert crashed.state == State.APPEAL and crashed.attempts == 2
    assert twice.state == State.FAILED and "дважды" in twice.error
    assert working.state == State.PROCESSING  # another process is on it right now
    assert Appeal.objects.count() == 1


def test_processing_a_letter_twice_does_nothing_the_second_time(deliver):
    letter = deliver(corpus.plain())
    assert letter_process(letter_id=letter.pk).state == State.APPEAL
    assert Appeal.objects.count() == 1 and len(mail.outbox) == 1


def test_retry_from_the_admin_turns_a_held_letter_into_an_appeal(deliver, settings, admin_client):
    settings.MAIL_FLOOD_PER_SENDER = 0
    letter = deliver(corpus.plain())
    assert letter.state == State.LIMITED
    settings.MAIL_FLOOD_PER_SENDER = 10
    response = admin_client.post(
        "/admin/mail/inboundletter/",
        {"action": "retry", "_selected_action": [letter.pk]},
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.state == State.APPEAL and Appeal.objects.count() == 1


def test_the_reply_letter_parses_back_with_policy_default(registered):
    """What we send reads back as a proper letter: our own Message-ID and reply address."""
    raw = mail.outbox[0].message().as_bytes()
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["Reply-To"].addresses[0].addr_spec == _reply_to(mail.outbox[0])
    assert parsed["In-Reply-To"] == "<first@gmail.com>"


def test_a_form_appeal_of_an_account_still_hears_through_its_preferences(
    django_capture_on_commit_callbacks,
):
    from tests.support.appeals.factories import appeal_make

    citizen = UserFactory(username="form-citizen", email="form@example.ru")
    appeal = appeal_make(author=citizen)
    mail.outbox.clear()
    _answer(appeal, actions.appeal_answer, django_capture_on_commit_callbacks, text="Ответ.")
    assert not OutboundLetter.objects.filter(appeal=appeal).exists()
    assert all("Reply-To" not in message.extra_headers for message in mail.outbox)


def test_a_letter_appeal_of_an_account_is_answered_by_letter_in_its_thread(
    deliver, django_capture_on_commit_callbacks
):
    citizen = UserFactory(username="anna", email="petrova.anna@gmail.com")
    deliver(corpus.plain(sender="petrova.anna@gmail.com", message_id="<acc@x>"))
    appeal = _only_appeal()
    assert appeal.author == citizen
    answered = _answer(
        appeal, actions.appeal_answer, django_capture_on_commit_callbacks, text="Ответ письмом."
    )
    assert answered.to == ["petrova.anna@gmail.com"] and "Ответ письмом." in answered.body
    assert reply_number(_reply_to(answered)) == appeal.number


def test_a_letter_forwarded_as_an_attachment_becomes_an_appeal_with_its_text(deliver):
    letter = deliver(corpus.forwarded_as_attachment())
    appeal = _only_appeal()
    assert letter.state == State.APPEAL and appeal.attachments.count() == 0
    assert "Пересылаю отказ МФЦ." in appeal.description
    assert "нет справки 2-НДФЛ" in appeal.description
