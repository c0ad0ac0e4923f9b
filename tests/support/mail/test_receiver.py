"""Real SMTP and LMTP to the running receiver (aiosmtpd on a free port), as an MTA sends."""

import smtplib
import socket

import pytest
from django.core import mail

from support.appeals.models import Appeal
from support.mail import actions
from support.mail.models import InboundLetter, State
from support.mail.receiver import receiver_make
from tests.support.mail import corpus

pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def receiver(mail_topic):
    def start(*, lmtp: bool = False):
        port = free_port()
        controller = receiver_make(host="127.0.0.1", port=port, lmtp=lmtp)
        controller.start()
        started.append(controller)
        return port

    started = []
    yield start
    for controller in started:
        controller.stop()


def test_a_letter_sent_by_smtp_becomes_an_appeal(receiver):
    port = receiver()
    with smtplib.SMTP("127.0.0.1", port, local_hostname="localhost") as client:
        refused = client.sendmail(
            "ivanov@company.ru", ["support@help.example.org"], corpus.wire(corpus.outlook_html())
        )
    assert refused == {}
    letter = InboundLetter.objects.get()
    assert letter.state == State.APPEAL
    assert letter.envelope_from == "ivanov@company.ru"
    assert letter.envelope_to == ["support@help.example.org"]
    assert letter.peer == "127.0.0.1"
    appeal = Appeal.objects.get()
    assert appeal.email == "ivanov@company.ru"
    assert appeal.attachments.count() == 2
    assert [message.to for message in mail.outbox] == [["ivanov@company.ru"]]


def test_the_receiver_is_not_a_relay(receiver):
    port = receiver()
    with smtplib.SMTP("127.0.0.1", port, local_hostname="localhost") as client:
        with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
            client.sendmail(
                "spammer@example.com", ["victim@example.com"], corpus.wire(corpus.plain())
            )
    assert refused.value.recipients["victim@example.com"][0] == 550
    assert not InboundLetter.objects.exists()


def test_lmtp_answers_for_every_recipient(receiver):
    port = receiver(lmtp=True)
    client = smtplib.LMTP("127.0.0.1", port, local_hostname="localhost")
    try:
        assert client.ehlo_or_helo_if_needed() is None
        assert client.mail("citizen@example.ru")[0] == 250
        for recipient in ("support@help.example.org", "support+anything@help.example.org"):
            assert client.rcpt(recipient)[0] == 250
        # smtplib reads one reply to DATA; LMTP gives one per recipient (RFC 2033).
        first = client.data(corpus.wire(corpus.koi8r_base64()))
        second = client.getreply()
        assert first[0] == 250 and second[0] == 250
        assert client.docmd("QUIT")[0] == 221
    finally:
        client.close()
    assert InboundLetter.objects.get().state == State.APPEAL
    assert Appeal.objects.get().subject == "Не приходит СМС"


def test_when_storing_fails_the_mta_is_told_to_retry_and_the_retry_lands(receiver, monkeypatch):
    port = receiver()
    real_store = actions.letter_store

    def broken(**kwargs):
        raise OSError("database unavailable")

    monkeypatch.setattr("support.mail.receiver.letter_store", broken)
    with smtplib.SMTP("127.0.0.1", port, local_hostname="localhost") as client:
        with pytest.raises(smtplib.SMTPDataError) as temporary:
            client.sendmail(
                "citizen@example.ru", ["support@help.example.org"], corpus.wire(corpus.plain())
            )
    assert temporary.value.smtp_code == 451
    assert not InboundLetter.objects.exists()

    monkeypatch.setattr("support.mail.receiver.letter_store", real_store)
    with smtplib.SMTP("127.0.0.1", port, local_hostname="localhost") as client:
        client.sendmail(
            "citizen@example.ru", ["support@help.example.org"], corpus.wire(corpus.plain())
        )
    assert InboundLetter.objects.get().state == State.APPEAL


def test_a_letter_over_the_size_limit_is_refused_before_it_is_stored(receiver, settings):
    settings.MAIL_MAX_BYTES = 100_000
    port = receiver()
    with smtplib.SMTP("127.0.0.1", port, local_hostname="localhost") as client:
        with pytest.raises(smtplib.SMTPException):
            client.sendmail(
                "writer@example.ru", ["support@help.example.org"], corpus.wire(corpus.big_text())
            )
    assert not InboundLetter.objects.exists()


def test_the_same_letter_delivered_twice_makes_one_appeal(receiver):
    port = receiver()
    for _attempt in range(2):
        with smtplib.SMTP("127.0.0.1", port, local_hostname="localhost") as client:
            client.sendmail(
                "citizen@example.ru", ["support@help.example.org"], corpus.wire(corpus.plain())
            )
    assert sorted(InboundLetter.objects.values_list("state", flat=True)) == [
        State.APPEAL,
        State.DUPLICATE,
    ]
    assert Appeal.objects.count() == 1
