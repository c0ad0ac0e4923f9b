"""Demo call-back capacity and the demo citizen's call-backs in every state. Idempotent."""

import datetime

from django.db import transaction
from django.utils import timezone

from portal.channels import ChannelKind
from portal.lifecycle import REGISTER
from portal.models import User
from support.callbacks.lifecycle import TABLE, Step
from support.callbacks.models import (
    Callback,
    CallbackCapacity,
    CallbackEvent,
    CallbackSlot,
    Status,
    Topic,
)
from support.contacts.models import ContactChannel
from support.contacts.selectors import channel_day_hours

PLACES = 3
DEMO_PHONE = "+79161234567"
# (the step that ended it, topic, days back)
DEMO = [
    (Step.DONE, Topic.ACCOUNT, 6),
    (Step.NO_ANSWER, Topic.STATUS, 3),
    (Step.CANCEL, Topic.SERVICES, 2),
]


def _past_slot(
    channel: ContactChannel, days_back: int
) -> tuple[datetime.datetime, datetime.datetime]:
    today = timezone.localdate()
    hours = channel_day_hours(
        channel=channel, start=today - datetime.timedelta(days=days_back + 7), end=today
    )
    moscow = timezone.get_default_timezone()
    # The latest working day at least `days_back` days ago, an hour after opening.
    for day in sorted(hours, reverse=True):
        if (today - day).days >= days_back and hours[day].opens is not None:
            start = datetime.datetime.combine(day, hours[day].opens, tzinfo=moscow)
            start += datetime.timedelta(hours=1)
            return start, start + datetime.timedelta(minutes=30)
    start = datetime.datetime.combine(
        today - datetime.timedelta(days=days_back), datetime.time(10), tzinfo=moscow
    )
    return start, start + datetime.timedelta(minutes=30)


@transaction.atomic
def seed_callbacks() -> int:
    """Capacity for every day the call-back channel works; four call-backs for `citizen`."""
    from support.callbacks.actions import callback_book

    channel = ContactChannel.objects.filter(kind=ChannelKind.CALLBACK).first()
    if channel is None:
        return 0
    for row in channel.hours.all():
        if row.weekday < 7:
            CallbackCapacity.objects.get_or_create(
                channel=channel, weekday=row.weekday, defaults={"places": PLACES}
            )
    citizen = User.objects.filter(username="citizen").first()
    if citizen is None or Callback.objects.filter(user=citizen).exists():
        return 0
    count = 0
    for step, topic, days_back in DEMO:
        status = TABLE[step].target(Status.REQUESTED)
        starts_at, ends_at = _past_slot(channel, days_back)
        slot, _ = CallbackSlot.objects.get_or_create(
            channel=channel, starts_at=starts_at, defaults={"ends_at": ends_at}
        )
        if status != Status.CANCELLED:
            slot.taken += 1
            slot.save(update_fields=["taken"])
        booked = starts_at - datetime.timedelta(days=1)
        callback = Callback.objects.create(
            number=f"7{days_back:07d}",
            user=citizen,
            phone=DEMO_PHONE,
            topic=topic,
            slot=slot,
            status=status,
            created_at=booked,
            changed_at=starts_at,
        )
        # Its history: the citizen booked it, then staff took their step at the slot.
        for at, name, before, after, actor in (
            (booked, REGISTER, "", Status.REQUESTED, citizen),
            (starts_at, step, Status.REQUESTED, status, None),
        ):
            CallbackEvent.objects.create(
                callback=callback,
                at=at,
                step=name,
                from_status=before,
                to_status=after,
                slot_starts_at=starts_at,
                actor=actor,
            )
        count += 1
    from support.callbacks.selectors import callback_next_free

    upcoming = callback_next_free()
    if upcoming is not None:
        callback_book(
            user=citizen, phone=DEMO_PHONE, topic=Topic.APPEAL, starts_at=upcoming.starts_at
        )
        count += 1
    return count
