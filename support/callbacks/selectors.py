"""Reading call-backs: the bookable slots, a citizen's call-backs, the operators' day."""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.channels import ChannelKind
from portal.models import User
from support.callbacks.models import (
    Callback,
    CallbackCapacity,
    CallbackSlot,
    Status,
)
from support.centre.owners import owner_q
from support.contacts.models import ContactChannel, OpeningHours
from support.contacts.selectors import ON_DAY, channel_day_hours

# How far ahead a citizen may book, in days (today included).
BOOKING_DAYS = 7
# The operators' page shows today and this many days after it.
OPERATOR_DAYS = 3


@dataclass(frozen=True)
class Slot:
    starts_at: datetime.datetime  # aware
    ends_at: datetime.datetime
    places: int
    taken: int

    @property
    def free(self) -> int:
        return max(0, self.places - self.taken)

    @property
    def value(self) -> str:
        """How a form names the slot: its Moscow start, to the minute."""
        return timezone.localtime(self.starts_at).strftime("%Y-%m-%dT%H:%M")

    @property
    def time_label(self) -> str:
        start, end = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        return f"{start:%H:%M}–{end:%H:%M}"


def slot_value_parse(value: str) -> datetime.datetime | None:
    """The aware start of a slot from its form value, or None for anything else."""
    try:
        naive = datetime.datetime.strptime((value or "").strip(), "%Y-%m-%dT%H:%M")
    except ValueError:
        return None
    return timezone.make_aware(naive, timezone.get_default_timezone())


def callback_channel() -> ContactChannel | None:
    """The active call-back channel, whose hours and capacity the slots come from."""
    return (
        ContactChannel.objects.filter(kind=ChannelKind.CALLBACK, is_active=True)
        .prefetch_related(
            Prefetch("hours", queryset=OpeningHours.objects.all()),
            Prefetch("callback_capacity", queryset=CallbackCapacity.objects.all()),
        )
        .first()
    )


def callback_slots(
    *,
    now: datetime.datetime | None = None,
    days: int = BOOKING_DAYS,
    channel: ContactChannel | None = None,
) -> list[Slot]:
    """Every slot from now to `days` ahead inside the channel's hours, full ones included."""
    now = now or timezone.now()
    channel = channel or callback_channel()
    if channel is None:
        return []
    today = timezone.localdate(now)
    last = today + datetime.timedelta(days=days - 1)
    hours = channel_day_hours(channel=channel, start=today, end=last)
    capacity = {row.weekday: row for row in channel.callback_capacity.all()}
    moscow = timezone.get_default_timezone()
    taken = dict(
        CallbackSlot.objects.filter(
            channel=channel,
            starts_at__gte=now,
            starts_at__lt=datetime.datetime.combine(
                last + datetime.timedelta(days=1), datetime.time(), tzinfo=moscow
            ),
        ).values_list("starts_at", "taken")
    )
    slots = []
    for day, day_hours in hours.items():
        row = capacity.get(day.weekday())
        if day_hours.opens is None or row is None or row.places == 0:
            continue
        step = datetime.timedelta(minutes=row.slot_minutes)
        start = datetime.datetime.combine(day, day_hours.opens, tzinfo=moscow)
        closes = datetime.datetime.combine(day, day_hours.closes, tzinfo=moscow)
        while start + step <= closes:
            # A slot that has begun is no longer offered: nobody could be called in it.
            if start > now:
                slots.append(Slot(start, start + step, row.places, taken.get(start, 0)))
            start += step
    return slots


def callback_slot_at(
    *, starts_at: datetime.datetime, now: datetime.datetime | None = None
) -> Slot | None:
    """The offered slot that starts at this moment, or None (outside hours, past, too far)."""
    return next((s for s in callback_slots(now=now) if s.starts_at == starts_at), None)


def callback_next_free(
    *,
    now: datetime.datetime | None = None,
    after: datetime.datetime | None = None,
    channel: ContactChannel | None = None,
) -> Slot | None:
    """The first slot with a free place (later than `after` when given)."""
    for slot in callback_slots(now=now, channel=channel):
        if slot.free and (after is None or slot.starts_at >= after):
            return slot
    return None


def slot_when_text(slot: Slot, *, now: datetime.datetime | None = None) -> str:
    """ "сегодня в 15:30", "завтра в 09:00", "в среду, 3 декабря, в 10:00"."""
    today = timezone.localdate(now or timezone.now())
    local = timezone.localtime(slot.starts_at)
    time = f"{local:%H:%M}"
    if local.date() == today:
        return _("сегодня в %(time)s") % {"time": time}
    if local.date() == today + datetime.timedelta(days=1):
        return _("завтра в %(time)s") % {"time": time}
    return _("%(day)s, %(date)s, в %(time)s") % {
        "day": ON_DAY[local.weekday()],
        "date": date_format(local.date(), "j E"),
        "time": time,
    }


def callback_wait_text(
    *, now: datetime.datetime | None = None, channel: ContactChannel | None = None
) -> str:
    """What the contacts page and the hub say about the call-back channel's wait."""
    slot = callback_next_free(now=now, channel=channel)
    if slot is None:
        return _("Свободного времени для звонка на ближайшую неделю нет.")
    return _("Ближайшее время для звонка: %(when)s") % {"when": slot_when_text(slot, now=now)}


def slot_choices(slots: list[Slot]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Free slots grouped by day, as a select's option groups."""
    groups: dict[datetime.date, list[tuple[str, str]]] = {}
    for slot in slots:
        if not slot.free:
            continue
        day = timezone.localtime(slot.starts_at).date()
        groups.setdefault(day, []).append((slot.value, slot.time_label))
    return [(date_format(day, "l, j E"), options) for day, options in groups.items()]


def _with_slot(queryset: QuerySet[Callback]) -> QuerySet[Callback]:
    return queryset.select_related("slot", "user")


def callback_of(
    *, user: User | AnonymousUser | None, number: str, visitor: str = ""
) -> Callback | None:
    """The citizen's own call-back, or None (somebody else's is the same as none): an
    account's is its account's, a visitor's is the browser session's that booked it."""
    owned = owner_q(user=user, visitor=visitor)
    if owned is None:
        return None
    return _with_slot(Callback.objects.filter(owned, number=number)).first()


def callback_by_number(*, number: str) -> Callback | None:
    """Any call-back by number: for staff."""
    return _with_slot(Callback.objects.filter(number=number)).first()


def callbacks_of(*, user: User) -> list[Callback]:
    return list(_with_slot(Callback.objects.filter(user=user)).order_by("-slot__starts_at"))


def callback_open_on_number(*, phone: str) -> bool:
    """Whether a visitor's call-back to this number (as `portal.phones` writes it) is
    still waiting: the one-per-number rule of call-backs without an account."""
    return Callback.objects.filter(user__isnull=True, phone=phone, status=Status.REQUESTED).exists()


def callbacks_open_count(*, user: User) -> int:
    return Callback.objects.filter(user=user, status=Status.REQUESTED).count()


@dataclass(frozen=True)
class SlotGroup:
    slot: CallbackSlot
    callbacks: list[Callback]

    @property
    def label(self) -> str:
        start = timezone.localtime(self.slot.starts_at)
        end = timezone.localtime(self.slot.ends_at)
        return f"{date_format(start.date(), 'j E, l')}, {start:%H:%M}–{end:%H:%M}"


def operator_callbacks(
    *, now: datetime.datetime | None = None, days: int = OPERATOR_DAYS
) -> list[SlotGroup]:
    """Today's and the next days' call-backs (cancelled left out), grouped by slot, after
    the earlier days' that still wait for their outcome: at midnight a call due at 23:50
    must not leave the operator's page unanswered."""
    now = now or timezone.now()
    moscow = timezone.get_default_timezone()
    start = datetime.datetime.combine(timezone.localdate(now), datetime.time(), tzinfo=moscow)
    end = start + datetime.timedelta(days=days + 1)
    shown = Q(slot__starts_at__gte=start, slot__starts_at__lt=end) | Q(
        slot__starts_at__lt=start, status=Status.REQUESTED
    )
    shown_callbacks = Callback.objects.filter(shown).exclude(status=Status.CANCELLED)
    callbacks = _with_slot(shown_callbacks).order_by("slot__starts_at", "created_at")
    groups: dict[int, SlotGroup] = {}
    for callback in callbacks:
        group = groups.setdefault(callback.slot_id, SlotGroup(callback.slot, []))
        group.callbacks.append(callback)
    return list(groups.values())
