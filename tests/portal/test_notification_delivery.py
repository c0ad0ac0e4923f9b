"""Delivery through the channels a citizen chose: background tasks, retries, every attempt
recorded, and a broken gateway never failing the action that notified."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail

from portal.notifications import actions, selectors, sms
from portal.notifications.models import (
    Channel,
    DeliveryAttempt,
    DeliveryResult,
    NotificationEvent,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sms_outbox")]


def _send(user, event=NotificationEvent.ANSWER_GIVEN, **kwargs):
    return actions.notification_send(
        user=user, event=event, title="Дан ответ на обращение 12345678", url="/my/", **kwargs
    )


def _wants_sms(user, event=NotificationEvent.ANSWER_GIVEN, *, phone="+79161234567") -> None:
    """The citizen asks for SMS about `event`; `phone=""` leaves them without a number."""
    if phone:
        user.phone = phone
        user.save()
    actions.notification_preferences_set(user=user, chosen={(event, Channel.SMS): True})


def test_defaults_mail_answers_and_clarifications_but_not_sms(
    citizen, sms_outbox, django_capture_on_commit_callbacks
):
    citizen.phone = "+79161234567"
    citizen.save()
    with django_capture_on_commit_callbacks(execute=True):
        _send(citizen)
        _send(citizen, event=NotificationEvent.DEADLINE_EXTENDED)
    assert [m.to for m in mail.outbox] == [[citizen.email]]
    assert mail.outbox[0].subject == "Дан ответ на обращение 12345678"
    assert "http://" in mail.outbox[0].body and "/my/" in mail.outbox[0].body
    assert sms_outbox == []
    assert selectors.unread_count(user=citizen) == 2  # the inbox gets everything


def test_email_switched_off_sends_no_email(citizen, django_capture_on_commit_callbacks):
    actions.notification_preferences_set(
        user=citizen, chosen={(NotificationEvent.ANSWER_GIVEN, Channel.EMAIL): False}
    )
    with django_capture_on_commit_callbacks(execute=True):
        _send(citizen)
    assert mail.outbox == []
    assert selectors.unread_count(user=citizen) == 1


def test_sms_switched_on_reaches_the_sms_backend(
    citizen, sms_outbox, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://gosuslugi.test"
    _wants_sms(citizen, NotificationEvent.DEADLINE_EXTENDED)
    with django_capture_on_commit_callbacks(execute=True):
        notification = _send(citizen, event=NotificationEvent.DEADLINE_EXTENDED)
    assert sms_outbox == [
        {
            "phone": "+79161234567",
            "text": "Дан ответ на обращение 12345678 https://gosuslugi.test/my/",
        }
    ]
    attempt = DeliveryAttempt.objects.get(notification=notification)
    assert (attempt.channel, attempt.result, attempt.attempt) == (Channel.SMS, "sent", 1)


def test_sms_wanted_without_a_phone_is_not_attempted(
    citizen, sms_outbox, django_capture_on_commit_callbacks
):
    _wants_sms(citizen, phone="")
    with django_capture_on_commit_callbacks(execute=True):
        _send(citizen)
    assert sms_outbox == []
    assert not DeliveryAttempt.objects.filter(channel=Channel.SMS).exists()


def test_nothing_is_delivered_before_the_commit(citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        _send(citizen)
    assert mail.outbox == []
    assert not DeliveryAttempt.objects.exists()


class ScriptedBackend:
    """An SMS gateway that answers each send with the next of `errors`, then sends."""

    errors: list[str] = []
    calls = 0

    def send(self, *, phone, text):
        ScriptedBackend.calls += 1
        if ScriptedBackend.errors:
            raise sms.SmsError(ScriptedBackend.errors.pop(0))


@pytest.fixture
def gateway_answers(settings, citizen):
    """The citizen wants SMS, sent through a gateway that first answers with `errors`."""
    settings.SMS_BACKEND = f"{__name__}.ScriptedBackend"
    ScriptedBackend.calls = 0
    _wants_sms(citizen)

    def script(*errors: str) -> type[ScriptedBackend]:
        ScriptedBackend.errors = list(errors)
        return ScriptedBackend

    return script


def test_a_failing_backend_is_retried_three_times_and_every_attempt_recorded(
    citizen, gateway_answers, django_capture_on_commit_callbacks
):
    backend = gateway_answers(*["gateway answered 503"] * 5)
    with django_capture_on_commit_callbacks(execute=True):
        notification = _send(citizen)  # does not raise
    attempts = list(DeliveryAttempt.objects.filter(notification=notification, channel="sms"))
    assert [(a.attempt, a.result) for a in attempts] == [
        (1, DeliveryResult.FAILED),
        (2, DeliveryResult.FAILED),
        (3, DeliveryResult.FAILED),
    ]
    assert "503" in attempts[0].error
    assert backend.calls == 3
    # The e-mail channel is independent of the broken SMS gateway.
    assert len(mail.outbox) == 1


def test_a_retry_that_succeeds_stops_retrying(
    citizen, gateway_answers, django_capture_on_commit_callbacks
):
    backend = gateway_answers("timeout")
    with django_capture_on_commit_callbacks(execute=True):
        notification = _send(citizen)
    results = list(
        DeliveryAttempt.objects.filter(notification=notification, channel="sms").values_list(
            "attempt", "result"
        )
    )
    assert results == [(1, "failed"), (2, "sent")]
    assert backend.calls == 2


class _Gateway(BaseHTTPRequestHandler):
    received: list = []
    status = 200

    def do_POST(self):  # noqa: N802 (http.server's naming)
        length = int(self.headers["Content-Length"])
        _Gateway.received.append(
            {"auth": self.headers["Authorization"], "body": json.loads(self.rfile.read(length))}
        )
        self.send_response(_Gateway.status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(settings):
    server = HTTPServer(("127.0.0.1", 0), _Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Gateway.received = []
    _Gateway.status = 200
    settings.SMS_BACKEND = "portal.notifications.sms.HttpGatewayBackend"
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}/send"
    settings.SMS_GATEWAY_TOKEN = "secret-token"
    yield _Gateway
    server.shutdown()
    server.server_close()


def test_http_gateway_gets_the_phone_text_and_token(gateway):
    sms.sms_backend().send(phone="+79161234567", text="Привет")
    assert gateway.received == [
        {"auth": "Bearer secret-token", "body": {"phone": "+79161234567", "text": "Привет"}}
    ]


def test_http_gateway_error_status_is_a_failure(gateway):
    gateway.status = 500
    with pytest.raises(sms.SmsError, match="500"):
        sms.sms_backend().send(phone="+79161234567", text="Привет")


def test_unreachable_gateway_is_a_failure(settings):
    settings.SMS_BACKEND = "portal.notifications.sms.HttpGatewayBackend"
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/send"  # discard port: nothing listens
    settings.SMS_GATEWAY_TIMEOUT = 2
    with pytest.raises(sms.SmsError):
        sms.sms_backend().send(phone="+79161234567", text="Привет")
