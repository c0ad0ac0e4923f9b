from django.conf import settings
from django.db.models import QuerySet

from portal.models import User
from portal.notifications.models import (
    Channel,
    Notification,
    NotificationEvent,
    NotificationPreference,
)
from portal.notifications.preferences import SWITCHABLE, default_enabled


def notifications_for(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def preferences_for(*, user: User) -> dict[tuple[str, str], bool]:
    """Every (event, switchable channel) with the citizen's choice or the default."""
    chosen = {
        (row.event, row.channel): row.enabled
        for row in NotificationPreference.objects.filter(user=user)
    }
    return {
        (event, channel): chosen.get((event, channel), default_enabled(event, channel))
        for event in NotificationEvent.values
        for channel in SWITCHABLE
    }


def channels_for(*, user: User, event: str) -> list[str]:
    """The channels besides the inbox that this event goes to for this citizen now.

    A channel without an address (no e-mail, no phone) is left out rather than failed.
    """
    chosen = preferences_for(user=user)
    channels = []
    if chosen.get((event, Channel.EMAIL)) and user.email:
        channels.append(Channel.EMAIL)
    if chosen.get((event, Channel.SMS)) and user.phone:
        channels.append(Channel.SMS)
    return channels


def push_available() -> bool:
    return bool(getattr(settings, "NOTIFICATIONS_PUSH_AVAILABLE", False))
