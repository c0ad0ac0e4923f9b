"""Call-back channels with hours and capacity, and call-backs in any state."""

import datetime

from django.utils import timezone

from portal.channels import ChannelKind
from support.callbacks.models import Callback, CallbackCapacity, CallbackSlot, Status, Topic
from support.contacts.models import ContactChannel, OpeningHours

MOSCOW = timezone.get_default_timezone()
ALL_DAY = {day: ("00:00", "23:59") for day in range(7)}
OFFICE = {day: ("09:00", "18:00") for day in range(5)}


def moscow(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=MOSCOW)


def channel_make(
    *, hours: dict[int, tuple[str, str]] = OFFICE, places: int = 2, slot_minutes: int = 30
) -> ContactChannel:
    channel = ContactChannel.objects.create(kind=ChannelKind.CALLBACK, title="Обратный звонок")
    for weekday, (opens, closes) in hours.items():
        OpeningHours.objects.create(
            channel=channel,
            weekday=weekday,
            opens=datetime.time.fromisoformat(opens),
            closes=datetime.time.fromisoformat(closes),
        )
        CallbackCapacity.objects.create(
            channel=channel, weekday=weekday, places=places, slot_minutes=slot_minutes
        )
    return channel


def callback_make(
    *,
    user,
    starts_at: datetime.datetime,
    status: str = Status.REQUESTED,
    channel: ContactChannel | None = None,
    number: str = "12345678",
) -> Callback:
    """A call-back written directly (e.g. in a slot that has already begun)."""
    channel = channel or ContactChannel.objects.get(kind=ChannelKind.CALLBACK)
    slot, _ = CallbackSlot.objects.get_or_create(
        channel=channel,
        starts_at=starts_at,
        defaults={"ends_at": starts_at + datetime.timedelta(minutes=30)},
    )
    if status != Status.CANCELLED:
        slot.taken += 1
        slot.save()
    return Callback.objects.create(
        number=number, user=user, phone="+79161234567", topic=Topic.OTHER, slot=slot, status=status
    )
