"""The Russian production calendar: public holidays and transferred days off.

`holidays.RU` knows the government's decrees for the years it has; editors add
exceptions on top as data (see the cabinet and appeals work).
"""

import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=8)
def _russia(year: int) -> holidays.HolidayBase:
    return holidays.RU(years=year)


def is_public_holiday(day: datetime.date) -> bool:
    """A public holiday or a transferred day off (not an ordinary weekend)."""
    return day in _russia(day.year)


def is_working_day(day: datetime.date) -> bool:
    return _russia(day.year).is_working_day(day)
