"""E-mail as a channel, end to end: a letter sent by SMTP to the running receiver appears in
the operator's queue; the operator answers in the browser; the answer is delivered by SMTP
to a test mailbox (an aiosmtpd sink); the citizen's reply, sent by SMTP to the answer's
reply address, threads into the same appeal, and the operator's open page shows it (live
over the channel layer when REDIS_URL gives the servers one, else on reload).
"""

import os
import smtplib
import socket
import time
import uuid
from email import message_from_bytes, policy
from functools import partial

import pytest
from django.conf import settings
from django.db import connections
from playwright.sync_api import Page, expect

from tests.browser.conftest import _make_application, in_worker_thread, login
from tests.support.mail import corpus

pytestmark = pytest.mark.browser

REDIS_URL = os.environ.get("REDIS_URL", "")
CITIZEN = "maria.ivanova@example.ru"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _text(letter) -> str:
    return letter.get_body(preferencelist=("plain",)).get_content()


class Mailbox:
    """aiosmtpd's handler for the test mailbox: keeps every letter delivered to it."""

    def __init__(self) -> None:
        self.letters: list = []

    async def handle_DATA(self, server, session, envelope):
        self.letters.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 2.0.0 Delivered"

    def wait_for(self, test, timeout: float = 10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [letter for letter in self.letters if test(letter)]
            if found:
                return found[-1]
            time.sleep(0.1)
        subjects = [(letter["To"], letter["Subject"]) for letter in self.letters]
        raise AssertionError(f"no such letter; the mailbox has {subjects}")


@pytest.fixture(scope="module")
def mailbox():
    from aiosmtpd.controller import Controller

    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield box, controller.port
    controller.stop()


@pytest.fixture(scope="module")
def mail_server(django_db_setup, django_db_blocker, mailbox):
    """A daphne of this module's own, forked once the e-mail settings point at the test
    mailbox (the session's daphne keeps the in-memory outbox), and the same for this
    process, where the receiver sends its automatic replies."""
    from daphne.testing import DaphneProcess

    _box, port = mailbox
    saved = {
        name: getattr(settings, name)
        for name in ("EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "CHANNEL_LAYERS")
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    if REDIS_URL:
        settings.CHANNEL_LAYERS = {
            "default": {
                "BACKEND": "channels_redis.core.RedisChannelLayer",
                "CONFIG": {"hosts": [REDIS_URL], "prefix": f"mail-test-{uuid.uuid4().hex[:8]}"},
            }
        }
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    process = DaphneProcess("127.0.0.1", partial(_make_application))
    with django_db_blocker.unblock():
        connections.close_all()
        process.start()
    try:
        if not process.ready.wait(timeout=20):
            raise RuntimeError("daphne did not start")
        yield f"http://127.0.0.1:{process.port.value}"
    finally:
        process.terminate()
        process.join(timeout=10)
        for name, value in saved.items():
            setattr(settings, name, value)
        channel_layers.backends.clear()


@pytest.fixture
def receiver(mail_server, transactional_db):
    from support.mail.receiver import receiver_make

    port = _free_port()
    controller = receiver_make(host="127.0.0.1", port=port)
    controller.start()
    yield port
    controller.stop()


def _send(port: int, raw: bytes, *, to: str = "support@help.example.org") -> None:
    with smtplib.SMTP("127.0.0.1", port, local_hostname="localhost") as client:
        assert client.sendmail(CITIZEN, [to], corpus.wire(raw)) == {}


def _prepare():
    from django.core.management import call_command

    from support.appeals.models import Topic
    from support.mail.models import MAIL_TOPIC_SLUG

    call_command("seed_demo", verbosity=0, load_history=False)
    Topic.objects.get_or_create(
        slug=MAIL_TOPIC_SLUG, defaults={"name": "Письмо на адрес поддержки"}
    )


def _appeal_text(number: str, kind: str) -> list[str]:
    from support.appeals.models import AppealEvent

    return list(
        AppealEvent.objects.filter(appeal__number=number, step=kind).values_list("text", flat=True)
    )


def test_a_letter_becomes_an_appeal_the_operator_answers_by_mail_and_the_reply_threads(
    page: Page, mail_server, receiver, mailbox, assert_accessible
):
    box, _port = mailbox
    in_worker_thread(_prepare)

    # 1. The citizen writes to the support address.
    _send(
        receiver,
        corpus.gmail_forward(sender=CITIZEN, message_id="<first-letter@example.ru>"),
    )
    registered = box.wait_for(lambda letter: letter["In-Reply-To"] == "<first-letter@example.ru>")
    body = _text(registered)
    number = next(word for word in body.split() if word.rstrip(".").isdigit() and len(word) > 6)
    number = number.rstrip(".")
    assert registered["Auto-Submitted"] == "auto-replied"

    # 2. The operator finds it in the queue and answers.
    login(page, mail_server, "operator", "operator-demo")
    page.goto(mail_server + "/support/operator/appeals/")
    expect(page.get_by_role("link", name=number)).to_be_visible()
    expect(page.get_by_text("Fwd: Отказ в приёме документов")).to_be_visible()
    assert_accessible("operator queue with a letter")
    page.get_by_role("link", name=number).click()
    expect(page.get_by_text("не приложена справка 2-НДФЛ")).to_be_visible()
    page.locator("summary", has_text="Ответить").first.click()
    page.get_by_label("Ответ заявителю").fill("Справку 2-НДФЛ можно заказать на портале.")
    page.get_by_role("button", name="Отправить ответ").click()
    expect(page.get_by_text("Ответ отправлен заявителю.")).to_be_visible()
    assert_accessible("operator appeal answered")

    # 3. The answer arrives in the citizen's mailbox, in the thread, with a reply address.
    answer = box.wait_for(lambda letter: "Справку 2-НДФЛ можно заказать" in _text(letter))
    assert answer["To"] == CITIZEN
    assert answer["In-Reply-To"] == registered["Message-ID"]
    assert answer["References"].split()[0] == "<first-letter@example.ru>"
    reply_address = answer["Reply-To"].addresses[0].addr_spec
    assert reply_address.startswith(f"support+{number}.")

    # 4. The citizen replies from their mail client; it joins the same appeal.
    if REDIS_URL:
        expect(page.locator("body")).to_have_attribute("data-live-socket", "open")
    _send(
        receiver,
        corpus.gmail_reply(
            sender=CITIZEN,
            to=reply_address,
            message_id="<citizen-reply@example.ru>",
            in_reply_to=answer["Message-ID"],
            text="Спасибо, заказала справку. Приложу её позже.",
        ),
        to=reply_address,
    )
    added = in_worker_thread(_appeal_text, number, "add")
    assert added == ["Спасибо, заказала справку. Приложу её позже."]
    if not REDIS_URL:
        page.reload()
    # Live: the operator's open page re-reads its history when the reply lands.
    expect(page.get_by_text("Спасибо, заказала справку.")).to_be_visible()
    expect(page.get_by_text("Пришлите номер квитанции")).to_have_count(0)  # quote folded
    assert_accessible("operator sees the reply")
