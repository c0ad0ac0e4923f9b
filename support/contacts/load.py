"""When the contact centre is busy: load by weekday and hour from real timestamps.

Each kind of contact (appeals today; chats and call-backs later) registers a
source here from the `support` package's AppConfig, so the chart never imports
the apps it counts and a new source needs no change in this module.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay
from django.utils import timezone
from django.utils.translation import gettext as _

LOAD_CACHE_TIMEOUT = 60 * 60  # an hour: the shape changes over weeks, not minutes
LOAD_CACHE_KEY = "contacts:load:v1:{day}:{weeks}:{sources}"
DEFAULT_WEEKS = 8


@dataclass(frozen=True)
class LoadSource:
    key: str
    label: Callable[[], str]
    queryset: Callable[[], QuerySet]
    field: str  # an aware DateTimeField: when the contact came in


_SOURCES: dict[str, LoadSource] = {}


def load_source_register(
    *, key: str, label: Callable[[], str], queryset: Callable[[], QuerySet], field: str
) -> None:
    """Count `field` of `queryset()` rows in the chart (registering twice replaces)."""
    _SOURCES[key] = LoadSource(key=key, label=label, queryset=queryset, field=field)


def load_sources() -> list[LoadSource]:
    return list(_SOURCES.values())


@dataclass(frozen=True)
class Load:
    by_hour: list[int]  # 24 values: contacts that came in at each Moscow hour
    by_weekday: list[int]  # 7 values, Monday first
    total: int
    weeks: int
    sources: list[str]

    @property
    def hour_average(self) -> list[float]:
        """Contacts per day at each hour, averaged over the period."""
        days = self.weeks * 7
        return [round(count / days, 1) for count in self.by_hour]


def _count(
    source: LoadSource, start: datetime.datetime, end: datetime.datetime
) -> tuple[list[int], list[int]]:
    moscow = timezone.get_default_timezone()
    rows = (
        source.queryset()
        .filter(**{f"{source.field}__gte": start, f"{source.field}__lt": end})
        .annotate(
            load_weekday=ExtractIsoWeekDay(source.field, tzinfo=moscow),
            load_hour=ExtractHour(source.field, tzinfo=moscow),
        )
        .values("load_weekday", "load_hour")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_hour, by_weekday = [0] * 24, [0] * 7
    for row in rows:
        by_hour[row["load_hour"]] += row["n"]
        by_weekday[row["load_weekday"] - 1] += row["n"]
    return by_hour, by_weekday


def contact_load(*, now: datetime.datetime | None = None, weeks: int = DEFAULT_WEEKS) -> Load:
    """Every registered source over the last `weeks` whole weeks before today (cached)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sources = load_sources()
    key = LOAD_CACHE_KEY.format(
        day=today.isoformat(), weeks=weeks, sources=",".join(s.key for s in sources)
    )

    def compute() -> Load:
        moscow = timezone.get_default_timezone()
        end = datetime.datetime.combine(today, datetime.time(), tzinfo=moscow)
        start = end - datetime.timedelta(weeks=weeks)
        by_hour, by_weekday = [0] * 24, [0] * 7
        for source in sources:
            hours, weekdays = _count(source, start, end)
            by_hour = [a + b for a, b in zip(by_hour, hours, strict=True)]
            by_weekday = [a + b for a, b in zip(by_weekday, weekdays, strict=True)]
        return Load(
            by_hour=by_hour,
            by_weekday=by_weekday,
            total=sum(by_hour),
            weeks=weeks,
            sources=[s.key for s in sources],
        )

    return cache.get_or_set(key, compute, timeout=LOAD_CACHE_TIMEOUT)


def quietest_windows(
    *, by_hour: list[int], opens: int, closes: int, width: int = 2, count: int = 2
) -> list[tuple[int, int]]:
    """The `count` quietest non-overlapping `width`-hour windows between opens and closes.

    [(10, 12), (16, 18)] reads "с 10:00 до 12:00 и с 16:00 до 18:00"; returned in
    time order. Ties go to the earlier window, so the answer is stable.
    """
    windows = [(sum(by_hour[h : h + width]), h) for h in range(opens, closes - width + 1)]
    chosen: list[int] = []
    for _load, start in sorted(windows):
        if all(abs(start - other) >= width for other in chosen):
            chosen.append(start)
        if len(chosen) == count:
            break
    return [(start, start + width) for start in sorted(chosen)]


def windows_text(windows: list[tuple[int, int]]) -> str:
    parts = [
        _("с %(start)02d:00 до %(end)02d:00") % {"start": start, "end": end}
        for start, end in windows
    ]
    if not parts:
        return ""
    if len(parts) == 1:
        return parts[0]
    return _("%(first)s и %(last)s") % {"first": ", ".join(parts[:-1]), "last": parts[-1]}
