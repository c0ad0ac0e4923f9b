"""Delivering a stored notification through one channel, in the background, with retries.

Each run is one attempt and records it. A failed attempt enqueues the next one with a
growing delay (NOTIFICATIONS_RETRY_DELAYS) when the tasks backend can defer; the immediate
backend (development, tests) cannot, so there the next attempt runs at once — the same
code path, so the retry logic is tested as it runs in production.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django_tasks import task

from portal.notifications.models import (
    Channel,
    DeliveryAttempt,
    DeliveryResult,
    Notification,
)
from portal.notifications.sms import sms_backend

logger = logging.getLogger(__name__)


def _absolute(url: str) -> str:
    return settings.SITE_URL.rstrip("/") + url if url.startswith("/") else url


def _send(notification: Notification, channel: str) -> None:
    user = notification.user
    link = _absolute(notification.url) if notification.url else ""
    if channel == Channel.EMAIL:
        # Bodies written for e-mail (the appeals') already hold the link.
        body = notification.body if link in notification.body else f"{notification.body}\n\n{link}"
        body = body.strip()
        send_mail(notification.title, body, None, [user.email])
    elif channel == Channel.SMS:
        text = " ".join(part for part in (notification.title, link) if part)
        sms_backend().send(phone=user.phone, text=text)
    else:
        raise ValueError(f"channel {channel!r} cannot deliver")


def _retry(notification_id: int, channel: str, attempt: int) -> None:
    delays = settings.NOTIFICATIONS_RETRY_DELAYS
    delay = delays[min(attempt - 1, len(delays) - 1)] if delays else 0
    deliver = notification_deliver
    if deliver.get_backend().supports_defer and delay:
        deliver = deliver.using(run_after=timezone.now() + datetime.timedelta(seconds=delay))
    deliver.enqueue(notification_id=notification_id, channel=channel, attempt=attempt + 1)


@task()
def notification_deliver(notification_id: int, channel: str, attempt: int = 1) -> str:
    """One attempt; never raises, so a broken gateway fails no request and no worker."""
    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is None:
        return DeliveryResult.SKIPPED
    try:
        with translation.override(settings.LANGUAGE_CODE):
            _send(notification, channel)
    except Exception as error:  # noqa: BLE001 (any backend failure is recorded and retried)
        logger.warning(
            "notification %s via %s, attempt %s failed: %s",
            notification_id,
            channel,
            attempt,
            error,
        )
        DeliveryAttempt.objects.create(
            notification=notification,
            channel=channel,
            attempt=attempt,
            result=DeliveryResult.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
        )
        if attempt < settings.NOTIFICATIONS_MAX_ATTEMPTS:
            _retry(notification_id, channel, attempt)
        return DeliveryResult.FAILED
    DeliveryAttempt.objects.create(
        notification=notification, channel=channel, attempt=attempt, result=DeliveryResult.SENT
    )
    return DeliveryResult.SENT


@task()
def sms_deliver(*, phone: str, text: str) -> bool:
    """An SMS to a number that has no account behind it (a visitor's call-back): the same
    sender as the inbox's and the sign-in codes'; a failure is logged, never raised."""
    try:
        sms_backend().send(phone=phone, text=text)
    except Exception as error:  # noqa: BLE001 (any gateway failure: logged)
        logger.warning("SMS to %s… not sent: %s", phone[:5], error)
        return False
    return True
