"""SMS backends, chosen by the SMS_BACKEND setting (like Django's EMAIL_BACKEND).

A backend is a class with `send(*, phone: str, text: str) -> None` that raises on failure;
the delivery task records the failure and retries.
"""

import json
import logging
import sys
import urllib.request
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """The gateway refused or could not be reached."""


class SmsBackend(Protocol):
    def send(self, *, phone: str, text: str) -> None: ...


class ConsoleBackend:
    """Development: print the message (or append it to SMS_FILE_PATH when set)."""

    def send(self, *, phone: str, text: str) -> None:
        line = f"SMS to {phone}: {text}\n"
        path = getattr(settings, "SMS_FILE_PATH", "")
        if path:
            with open(path, "a", encoding="utf-8") as out:
                out.write(line)
        else:
            sys.stdout.write(line)


# Messages the locmem backend "sent", as django.core.mail.outbox for e-mail.
outbox: list[dict[str, str]] = []


class LocmemBackend:
    """Tests: keep messages in `portal.notifications.sms.outbox`."""

    def send(self, *, phone: str, text: str) -> None:
        outbox.append({"phone": phone, "text": text})


class HttpGatewayBackend:
    """An HTTP gateway: POST {"phone", "text"} as JSON with a bearer token.

    SMS_GATEWAY_URL and SMS_GATEWAY_TOKEN configure it; any answer but 2xx is a failure.
    """

    def send(self, *, phone: str, text: str) -> None:
        url = settings.SMS_GATEWAY_URL
        if not url:
            raise SmsError("SMS_GATEWAY_URL is not set")
        request = urllib.request.Request(
            url,
            data=json.dumps({"phone": phone, "text": text}).encode(),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(  # noqa: S310 (the URL is the operator's setting)
                request, timeout=settings.SMS_GATEWAY_TIMEOUT
            ) as response:
                status = response.status
        except OSError as error:  # URLError, HTTPError, timeouts are all OSError
            raise SmsError(f"gateway: {error}") from error
        if not 200 <= status < 300:
            raise SmsError(f"gateway answered {status}")


def sms_backend() -> SmsBackend:
    return import_string(settings.SMS_BACKEND)()
