"""Which channels there are and whether each is answering right now."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.workcalendar.selectors import public_holidays_between
from support.contacts.models import ContactChannel, OpeningHours, Weekday

SHORT_DAYS = {
    0: gettext_lazy("Пн"),
    1: gettext_lazy("Вт"),
    2: gettext_lazy("Ср"),
    3: gettext_lazy("Чт"),
    4: gettext_lazy("Пт"),
    5: gettext_lazy("Сб"),
    6: gettext_lazy("Вс"),
}
ON_DAY = {
    0: gettext_lazy("в понедельник"),
    1: gettext_lazy("во вторник"),
    2: gettext_lazy("в среду"),
    3: gettext_lazy("в четверг"),
    4: gettext_lazy("в пятницу"),
    5: gettext_lazy("в субботу"),
    6: gettext_lazy("в воскресенье"),
}


@dataclass(frozen=True)
class ChannelStatus:
    channel: ContactChannel
    is_open: bool
    status_text: str
    schedule: list[tuple[str, str]]  # ("Пн–Пт", "08:00–20:00")


def _hours_by_day(channel: ContactChannel) -> dict[int, OpeningHours]:
    return {row.weekday: row for row in channel.hours.all()}


# "Open now" looks this many days ahead for the next opening.
LOOKAHEAD_DAYS = 8


def _hours_on(
    hours: dict[int, OpeningHours], day: datetime.date, holidays: set[datetime.date]
) -> OpeningHours | None:
    if day in holidays and Weekday.HOLIDAY in hours:
        return hours[Weekday.HOLIDAY]
    return hours.get(day.weekday())


def _schedule(hours: dict[int, OpeningHours]) -> list[tuple[str, str]]:
    """Consecutive days with the same hours folded: "Пн–Пт 08:00–20:00"."""
    rows: list[tuple[str, str]] = []
    run_start = None
    previous = None
    for weekday in range(7):
        row = hours.get(weekday)
        span = f"{row.opens:%H:%M}–{row.closes:%H:%M}" if row else _("выходной")
        if span != previous:
            if previous is not None:
                rows.append((_day_range(run_start, weekday - 1), previous))
            run_start, previous = weekday, span
    rows.append((_day_range(run_start, 6), previous))
    if Weekday.HOLIDAY in hours:
        row = hours[Weekday.HOLIDAY]
        rows.append((_("Праздники"), f"{row.opens:%H:%M}–{row.closes:%H:%M}"))
    return rows


def _day_range(first: int | None, last: int) -> str:
    if first is None or first == last:
        return str(SHORT_DAYS[last])
    return f"{SHORT_DAYS[first]}–{SHORT_DAYS[last]}"


def _status(
    channel: ContactChannel,
    hours: dict[int, OpeningHours],
    now: datetime.datetime,
    holidays: set[datetime.date],
) -> tuple[bool, str]:
    if channel.always_open:
        return True, _("Круглосуточно")
    if not hours:
        return False, _("Часы работы не указаны")
    local = timezone.localtime(now)
    today = local.date()
    row = _hours_on(hours, today, holidays)
    if row and row.opens <= local.time() < row.closes:
        return True, _("Открыто до %(time)s") % {"time": f"{row.closes:%H:%M}"}
    if row and local.time() < row.opens:
        return False, _("Откроется сегодня в %(time)s") % {"time": f"{row.opens:%H:%M}"}
    for offset in range(1, LOOKAHEAD_DAYS + 1):
        day = today + datetime.timedelta(days=offset)
        row = _hours_on(hours, day, holidays)
        if row:
            time = f"{row.opens:%H:%M}"
            if offset == 1:
                return False, _("Откроется завтра в %(time)s") % {"time": time}
            return False, _("Откроется %(day)s, %(date)s, в %(time)s") % {
                "day": ON_DAY[day.weekday()],
                "date": date_format(day, "j E"),
                "time": time,
            }
    return False, _("Сейчас закрыто")


def contact_channels(*, footer_only: bool = False) -> list[ContactChannel]:
    channels = ContactChannel.objects.filter(is_active=True).prefetch_related(
        Prefetch("hours", queryset=OpeningHours.objects.order_by("weekday"))
    )
    if footer_only:
        channels = channels.filter(show_in_footer=True)
    return list(channels)


def contact_channels_status(*, now: datetime.datetime | None = None) -> list[ChannelStatus]:
    """Every active channel with "open now" and its week in short form."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    # Read the calendar once for every channel, not once per channel and day.
    holidays = public_holidays_between(
        start=today, end=today + datetime.timedelta(days=LOOKAHEAD_DAYS)
    )
    statuses = []
    for channel in contact_channels():
        hours = _hours_by_day(channel)
        is_open, text = _status(channel, hours, now, holidays)
        statuses.append(
            ChannelStatus(
                channel=channel,
                is_open=is_open,
                status_text=text,
                schedule=[] if channel.always_open else _schedule(hours),
            )
        )
    return statuses
