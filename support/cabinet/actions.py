"""Writing what the cabinet keeps of its own: which items the citizen has seen."""

import datetime

from django.utils import timezone

from portal.models import User
from support.cabinet.models import TrackerSeen
from support.cabinet.registry import TrackerItem


def tracker_item_seen(
    *, user: User, item: TrackerItem, now: datetime.datetime | None = None
) -> None:
    """Note that the citizen opened the item now: a result they had not seen leaves
    «Активные» (it stays under «Завершённые»). Opening it twice at once writes one row."""
    TrackerSeen.objects.update_or_create(
        user=user, kind=item.kind, object_pk=item.pk, defaults={"seen_at": now or timezone.now()}
    )
