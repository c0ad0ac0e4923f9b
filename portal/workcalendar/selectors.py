"""Reading the Russian production calendar: working days, public holidays, deadlines.

`holidays.RU` knows the government's decrees for the years it has; editors add
exceptions on top as data (`CalendarException`), and an exception always wins over
the library. The exceptions are cached; the actions that change them drop the cache.
"""

import datetime
from functools import lru_cache

import holidays
from django.core.cache import cache

from portal.workcalendar.models import CalendarException

EXCEPTIONS_CACHE_KEY = "workcalendar:exceptions:v1"
SHORTENED_CACHE_KEY = "workcalendar:shortened:v1"
# A deadline of 30 working days never needs more than ~60 calendar days; the cap
# only guards against a calendar edited into nonsense (every day a day off).
MAX_SCAN_DAYS = 366 * 2


@lru_cache(maxsize=8)
def _russia(year: int) -> holidays.HolidayBase:
    return holidays.RU(years=year)


def _exceptions() -> dict[datetime.date, bool]:
    """{date: is_working_day} from the editors' table, cached until they change it."""

    def load() -> dict[datetime.date, bool]:
        return dict(CalendarException.objects.values_list("date", "is_working_day"))

    return cache.get_or_set(EXCEPTIONS_CACHE_KEY, load, timeout=None)


def _shortened() -> frozenset[datetime.date]:
    """The pre-holiday days the editors marked as shortened (the library knows none)."""

    def load() -> frozenset[datetime.date]:
        from portal.workcalendar.models import CalendarException

        return frozenset(
            CalendarException.objects.filter(is_shortened=True).values_list("date", flat=True)
        )

    return cache.get_or_set(SHORTENED_CACHE_KEY, load, timeout=None)


def _is_public_holiday(day: datetime.date, exceptions: dict[datetime.date, bool]) -> bool:
    override = exceptions.get(day)
    if override is True:
        return False
    if override is False and day.weekday() < 5:
        return True
    return day in _russia(day.year)


def is_public_holiday(day: datetime.date) -> bool:
    """A public holiday or a day off on a weekday (not an ordinary weekend)."""
    return _is_public_holiday(day, _exceptions())


def public_holidays_between(*, start: datetime.date, end: datetime.date) -> set[datetime.date]:
    """The public holidays from `start` to `end` inclusive, reading the exceptions once."""
    exceptions = _exceptions()
    days = (start + datetime.timedelta(days=n) for n in range((end - start).days + 1))
    return {day for day in days if _is_public_holiday(day, exceptions)}


def shortened_days_between(*, start: datetime.date, end: datetime.date) -> set[datetime.date]:
    """Shortened pre-holiday working days from `start` to `end` inclusive."""
    return {day for day in _shortened() if start <= day <= end}


def is_working_day(day: datetime.date) -> bool:
    override = _exceptions().get(day)
    if override is not None:
        return override
    return _russia(day.year).is_working_day(day)


def working_days_add(*, start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (the start day itself never counts).

    Registered on Friday with 1 day to go: due on Monday; registered on a
    Saturday: Monday is the first working day too.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    exceptions = _exceptions()
    day = start
    counted = 0
    for _ in range(MAX_SCAN_DAYS):
        if counted == days:
            return day
        day += datetime.timedelta(days=1)
        override = exceptions.get(day)
        working = override if override is not None else _russia(day.year).is_working_day(day)
        if working:
            counted += 1
    raise ValueError("the calendar has no working days in the next two years")


def working_days_between(*, start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (negative when end < start)."""
    if end < start:
        return -working_days_between(start=end, end=start)
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
