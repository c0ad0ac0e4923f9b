"""Writing notifications. Actions of other packages call `notification_send` after their
own change; delivery never makes their request fail."""

from django.db import transaction
from django.utils import timezone

from portal.live import user_event_on_commit
from portal.models import User
from portal.notifications.models import Notification
from portal.notifications.selectors import unread_count


def notification_send(
    *, user: User, event: str, title: str, body: str = "", url: str = ""
) -> Notification:
    """Put a message in the citizen's inbox and ring their open pages after commit."""
    with transaction.atomic():
        notification = Notification.objects.create(
            user=user, event=event, title=title[:200], body=body, url=url[:300]
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
