"""Which channels there are and whether each is answering right now (Moscow time)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.caching import version_token
from portal.catalogue.models import Region
from portal.content_language import ORIGINAL_LANGUAGE, shown_in_original
from portal.workcalendar.selectors import public_holidays_between, shortened_days_between
from support.contacts.models import (
    ContactChannel,
    ManagementContact,
    OpeningHours,
    RegionalOffice,
    SpecialHours,
    VoiceMenuItem,
    Weekday,
)

# Renewed by every edit of a channel: what is cached of the channels (the footer's list,
# the footer rendered from it, the channels with their hours) is keyed by it.
VERSION_CACHE_KEY = "contacts:version:v1"

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

# "Open now" looks this many days ahead for the next opening.
LOOKAHEAD_DAYS = 8
# The contacts page lists the special days of the coming month.
EXCEPTIONS_DAYS = 31
# A shortened pre-holiday day is one hour shorter (Labour Code, art. 95) unless the
# channel has its own hours for such days.
SHORTENED_BY = datetime.timedelta(hours=1)


@dataclass(frozen=True)
class DayHours:
    opens: datetime.time | None  # None: closed all day
    closes: datetime.time | None
    reason: str = ""  # why this day differs from the week; empty for an ordinary day
    reason_lang: str = ""  # "ru": an editor's note shown untranslated


@dataclass(frozen=True)
class SpecialDay:
    day: datetime.date
    label: str  # "4 ноября, среда"
    reason: str
    hours: str  # "10:00–14:00" or "не работает"
    reason_lang: str = ""


@dataclass(frozen=True)
class ChannelStatus:
    channel: ContactChannel
    is_open: bool
    status_text: str
    schedule: list[tuple[str, str]]  # ("Пн–Пт", "08:00–20:00")
    special_days: list[SpecialDay] = field(default_factory=list)
    voice_menu: list[VoiceMenuItem] = field(default_factory=list)
    wait_note: str = ""  # e.g. the call-back's next free time, from a registered source

    @property
    def title(self) -> str:
        return channel_title(self.channel)

    @property
    def wait_text(self) -> str:
        minutes = self.channel.answer_minutes or 0
        if minutes < 60:
            return _("%(n)s мин") % {"n": minutes}
        if minutes < 48 * 60:
            return _("%(n)s ч") % {"n": round(minutes / 60)}
        return _("%(n)s дн.") % {"n": round(minutes / (24 * 60))}


def channel_title(channel: ContactChannel) -> str:
    """The channel's name in the current language (Russian where not translated)."""
    return channel.title


# Kinds whose card says more about the wait than "open now" (the call-back's next free
# time): registered from the `support` AppConfig, so this module imports none of them.
_WAIT_NOTES: dict[str, Callable[[ContactChannel, datetime.datetime], str]] = {}


def channel_wait_note_register(
    *, kind: str, note: Callable[[ContactChannel, datetime.datetime], str]
) -> None:
    """Show `note(channel, now)` on this kind's channel cards (registering again replaces).

    The channel comes with its week of hours prefetched."""
    _WAIT_NOTES[kind] = note


@dataclass(frozen=True)
class _Calendar:
    holidays: set[datetime.date]
    shortened: set[datetime.date]


def _span(opens: datetime.time, closes: datetime.time) -> str:
    return f"{opens:%H:%M}–{closes:%H:%M}"


def _hours_on(
    hours: dict[int, OpeningHours],
    special: list[SpecialHours],
    day: datetime.date,
    calendar: _Calendar,
) -> DayHours:
    """The hours of one day: a dated exception, else a holiday, a shortened day, the week."""
    for row in special:
        if row.starts_on <= day <= row.ends_on:
            reason = row.note or _("особый режим работы")
            lang = ORIGINAL_LANGUAGE if shown_in_original(row, "note") else ""
            if row.is_closed:
                return DayHours(None, None, reason, lang)
            return DayHours(row.opens, row.closes, reason, lang)
    if day in calendar.holidays:
        row = hours.get(Weekday.HOLIDAY)
        # Without holiday hours the channel keeps its weekday hours on holidays.
        if row is not None:
            return DayHours(row.opens, row.closes, _("праздничный день"))
    if day in calendar.shortened:
        row = hours.get(Weekday.SHORTENED)
        if row is not None:
            return DayHours(row.opens, row.closes, _("сокращённый предпраздничный день"))
        row = hours.get(day.weekday())
        if row is not None:
            closes = (datetime.datetime.combine(day, row.closes) - SHORTENED_BY).time()
            if closes > row.opens:
                return DayHours(row.opens, closes, _("сокращённый предпраздничный день"))
    row = hours.get(day.weekday())
    if row is None:
        return DayHours(None, None)
    return DayHours(row.opens, row.closes)


def _schedule(hours: dict[int, OpeningHours]) -> list[tuple[str, str]]:
    """Consecutive days with the same hours folded: "Пн–Пт 08:00–20:00"."""
    rows: list[tuple[str, str]] = []
    run_start = None
    previous = None
    for weekday in range(7):
        row = hours.get(weekday)
        span = _span(row.opens, row.closes) if row else _("выходной")
        if span != previous:
            if previous is not None:
                rows.append((_day_range(run_start, weekday - 1), previous))
            run_start, previous = weekday, span
    rows.append((_day_range(run_start, 6), previous))
    if Weekday.HOLIDAY in hours:
        row = hours[Weekday.HOLIDAY]
        rows.append((_("Праздники"), _span(row.opens, row.closes)))
    if Weekday.SHORTENED in hours:
        row = hours[Weekday.SHORTENED]
        rows.append((_("Предпраздничные дни"), _span(row.opens, row.closes)))
    return rows


def _day_range(first: int | None, last: int) -> str:
    if first is None or first == last:
        return str(SHORT_DAYS[last])
    return f"{SHORT_DAYS[first]}–{SHORT_DAYS[last]}"


def _status(
    channel: ContactChannel,
    hours: dict[int, OpeningHours],
    special: list[SpecialHours],
    now: datetime.datetime,
    calendar: _Calendar,
) -> tuple[bool, str]:
    if channel.always_open:
        return True, _("Открыто · круглосуточно")
    if not hours and not special:
        return False, _("Часы работы не указаны")
    local = timezone.localtime(now)
    today = local.date()
    day = _hours_on(hours, special, today, calendar)
    if day.opens is not None and day.opens <= local.time() < day.closes:
        return True, _("Открыто · закроется в %(time)s") % {"time": f"{day.closes:%H:%M}"}
    if day.opens is not None and local.time() < day.opens:
        return False, _("Откроется сегодня в %(time)s") % {"time": f"{day.opens:%H:%M}"}
    for offset in range(1, LOOKAHEAD_DAYS + 1):
        date = today + datetime.timedelta(days=offset)
        day = _hours_on(hours, special, date, calendar)
        if day.opens is not None:
            time = f"{day.opens:%H:%M}"
            if offset == 1:
                return False, _("Откроется завтра в %(time)s") % {"time": time}
            return False, _("Откроется %(day)s, %(date)s, в %(time)s") % {
                "day": ON_DAY[date.weekday()],
                "date": date_format(date, "j E"),
                "time": time,
            }
    return False, _("Сейчас закрыто")


def _special_days(
    hours: dict[int, OpeningHours],
    special: list[SpecialHours],
    today: datetime.date,
    calendar: _Calendar,
) -> list[SpecialDay]:
    days = []
    for offset in range(EXCEPTIONS_DAYS):
        date = today + datetime.timedelta(days=offset)
        day = _hours_on(hours, special, date, calendar)
        if not day.reason:
            continue
        days.append(
            SpecialDay(
                day=date,
                label=date_format(date, "j E, l"),
                reason=day.reason,
                hours=_span(day.opens, day.closes) if day.opens else _("не работает"),
                reason_lang=day.reason_lang,
            )
        )
    return days


def contact_channels(*, footer_only: bool = False) -> list[ContactChannel]:
    """Active channels: title, value and links only (the footer on every page).

    Hours are not read here: pages that show them use `contact_channels_status`.
    The footer's are cached: the admin drops the cache on every change of a channel.
    """
    channels = ContactChannel.objects.filter(is_active=True)
    if not footer_only:
        return list(channels)
    return cache.get_or_set(
        f"contacts:footer:v1:{contact_channels_version()}",
        lambda: list(channels.filter(show_in_footer=True)),
        timeout=settings.CONTACTS_CACHE_SECONDS,
    )


def contact_channels_version() -> str:
    """Changes with every edit of a channel (`support.contacts.actions`)."""
    return version_token(VERSION_CACHE_KEY)


def _channels_with_hours(
    *, today: datetime.date, end: datetime.date, details: bool
) -> list[ContactChannel]:
    """Active channels with their week, their special days from `today` to `end` (and the
    voice menu with `details`). The same all day until an editor changes a channel: cached
    under the channels' version, so only the clock is read per request."""

    def load() -> list[ContactChannel]:
        prefetch: list = [
            Prefetch("hours", queryset=OpeningHours.objects.order_by("weekday")),
            Prefetch(
                "special_hours",
                queryset=SpecialHours.objects.filter(ends_on__gte=today, starts_on__lte=end),
            ),
        ]
        if details:
            prefetch.append(Prefetch("voice_menu", queryset=VoiceMenuItem.objects.order_by("key")))
        return list(ContactChannel.objects.filter(is_active=True).prefetch_related(*prefetch))

    version = contact_channels_version()
    key = f"contacts:hours:v1:{version}:{today.isoformat()}:{end.isoformat()}:{int(details)}"
    return cache.get_or_set(key, load, timeout=settings.CONTACTS_CACHE_SECONDS)


def contact_channels_status(
    *, now: datetime.datetime | None = None, details: bool = False
) -> list[ChannelStatus]:
    """Every active channel with "open now" and its week in short form.

    `details` adds what only the contacts page shows: the special days of the
    coming month and the voice menu.
    """
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    span = max(LOOKAHEAD_DAYS, EXCEPTIONS_DAYS if details else 0)
    end = today + datetime.timedelta(days=span)
    # Read the calendar once for every channel, not once per channel and day.
    calendar = _Calendar(
        holidays=public_holidays_between(start=today, end=end),
        shortened=shortened_days_between(start=today, end=end),
    )
    channels = _channels_with_hours(today=today, end=end, details=details)
    statuses = []
    notes: dict[str, str] = {}
    for channel in channels:
        if channel.kind in _WAIT_NOTES and channel.kind not in notes:
            notes[channel.kind] = _WAIT_NOTES[channel.kind](channel, now)
        hours = {row.weekday: row for row in channel.hours.all()}
        special = list(channel.special_hours.all())
        is_open, text = _status(channel, hours, special, now, calendar)
        statuses.append(
            ChannelStatus(
                channel=channel,
                is_open=is_open,
                status_text=text,
                schedule=[] if channel.always_open else _schedule(hours),
                special_days=(
                    _special_days(hours, special, today, calendar)
                    if details and not channel.always_open
                    else []
                ),
                voice_menu=list(channel.voice_menu.all()) if details else [],
                wait_note=notes.get(channel.kind, ""),
            )
        )
    return statuses


@dataclass(frozen=True)
class SpecialDayOnce:
    """Special days of the coming month said once for every channel they touch; consecutive
    days kept alike (the January holidays) are one line."""

    first: datetime.date
    last: datetime.date
    label: str  # "1 января, пятница" or "1–6 января"
    reason: str
    hours: str  # the same for every channel: "не работает", "10:00–14:00"; else ""
    channels: list[tuple[str, str]]  # (channel, hours) where the channels differ
    reason_lang: str = ""  # "ru": an editor's note in it is shown untranslated


def _days_label(first: datetime.date, last: datetime.date) -> str:
    if first == last:
        return date_format(first, "j E, l")
    if first.month == last.month:
        return f"{first.day}–{date_format(last, 'j E')}"
    return f"{date_format(first, 'j E')} – {date_format(last, 'j E')}"


def special_days_once(statuses: list[ChannelStatus]) -> list[SpecialDayOnce]:
    """The channels' special days merged by date: a holiday the whole centre keeps is one
    line, not one per channel card; a day the channels keep differently lists each."""
    by_day: dict[datetime.date, list[tuple[ChannelStatus, SpecialDay]]] = {}
    for status in statuses:
        for special in status.special_days:
            by_day.setdefault(special.day, []).append((status, special))
    runs: list[tuple[datetime.date, datetime.date, str, str, list[tuple[str, str]]]] = []
    untranslated: set[str] = set()
    for day in sorted(by_day):
        entries = by_day[day]
        reason = "; ".join(dict.fromkeys(special.reason for _, special in entries))
        untranslated.update(special.reason for _, special in entries if special.reason_lang)
        hours = {special.hours for _, special in entries}
        same = entries[0][1].hours if len(hours) == 1 else ""
        channels = [] if same else [(status.title, special.hours) for status, special in entries]
        if (
            runs
            and runs[-1][1] + datetime.timedelta(days=1) == day
            and runs[-1][2:]
            == (
                reason,
                same,
                channels,
            )
        ):
            runs[-1] = (runs[-1][0], day, reason, same, channels)
        else:
            runs.append((day, day, reason, same, channels))
    return [
        SpecialDayOnce(
            first=first,
            last=last,
            label=_days_label(first, last),
            reason=reason,
            hours=hours,
            channels=channels,
            reason_lang=ORIGINAL_LANGUAGE if untranslated & set(reason.split("; ")) else "",
        )
        for first, last, reason, hours, channels in runs
    ]


def quickest_open(statuses: list[ChannelStatus]) -> ChannelStatus | None:
    """The open channel that usually answers first (editors set the typical wait)."""
    candidates = [s for s in statuses if s.is_open and s.channel.answer_minutes is not None]
    return min(candidates, key=lambda s: (s.channel.answer_minutes, s.channel.order), default=None)


def regions_with_offices() -> list[Region]:
    return list(
        Region.objects.filter(support_offices__is_active=True).distinct().order_by("order", "name")
    )


def regional_offices(*, region_code: str = "") -> QuerySet[RegionalOffice]:
    offices = RegionalOffice.objects.filter(is_active=True).select_related("region")
    if region_code:
        offices = offices.filter(region__code=region_code)
    return offices


def management_contacts() -> list[ManagementContact]:
    return list(ManagementContact.objects.filter(is_active=True))


def channel_day_hours(
    *, channel: ContactChannel, start: datetime.date, end: datetime.date
) -> dict[datetime.date, DayHours]:
    """The channel's hours on each day from start to end inclusive (holidays, shortened
    days and dated exceptions applied): what bookable slots are cut from."""
    calendar = _Calendar(
        holidays=public_holidays_between(start=start, end=end),
        shortened=shortened_days_between(start=start, end=end),
    )
    hours = {row.weekday: row for row in channel.hours.all()}
    special = list(channel.special_hours.filter(ends_on__gte=start, starts_on__lte=end))
    days: dict[datetime.date, DayHours] = {}
    day = start
    while day <= end:
        if channel.always_open:
            days[day] = DayHours(datetime.time(0), datetime.time(23, 59))
        else:
            days[day] = _hours_on(hours, special, day, calendar)
        day += datetime.timedelta(days=1)
    return days
