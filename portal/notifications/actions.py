"""Writing notifications. Actions of other packages call `notification_send` after their
own change; delivery never makes their request fail."""

from django.db import transaction
from django.utils import timezone

from portal.live import user_event_on_commit
from portal.models import User
from portal.notifications import tasks
from portal.notifications.models import Notification, NotificationPreference
from portal.notifications.preferences import SWITCHABLE
from portal.notifications.selectors import channels_for, unread_count


def notification_send(
    *, user: User, event: str, title: str, body: str = "", url: str = ""
) -> Notification:
    """Put a message in the citizen's inbox, ring their open pages after commit, and
    deliver it through the channels they chose, each in a background task."""
    with transaction.atomic():
        notification = Notification.objects.create(
            user=user, event=event, title=title[:200], body=body, url=url[:300]
        )
    for channel in channels_for(user=user, event=event):
        transaction.on_commit(
            lambda channel=channel: tasks.notification_deliver.enqueue(
                notification_id=notification.pk, channel=channel
            )
        )
    user_event_on_commit(
        user_id=user.pk,
        kind="notification",
        data={
            "id": notification.pk,
            "event": event,
            "title": notification.title,
            "url": notification.url,
            "unread": unread_count(user=user),
        },
    )
    return notification


def notifications_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    """Mark these (or all) of the user's notifications read; returns how many changed."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


def notification_preferences_set(*, user: User, chosen: dict[tuple[str, str], bool]) -> None:
    """Store the citizen's choice for every switchable (event, channel) given."""
    with transaction.atomic():
        for (event, channel), enabled in chosen.items():
            if channel not in SWITCHABLE:
                continue
            NotificationPreference.objects.update_or_create(
                user=user, event=event, channel=channel, defaults={"enabled": enabled}
            )
