"""Reading technical works: the status page, the feed and the banner on every page."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from portal.caching import version_token
from support.maintenance.models import TechnicalWork

# Every page asks for the banner: the unfinished works are cached briefly under the works'
# version, which every write renews (support.maintenance.actions), so only the clock is read
# per request. The cached works carry every language's texts: each reader's language is
# chosen when the banner is drawn (v3: since the works are translated).
VERSION_CACHE_KEY = "maintenance:version"
DISMISSED_SESSION_KEY = "maintenance_dismissed"
# Hiding the warning ahead of a work does not hide the banner once the work starts.
DISMISSED_AHEAD_SESSION_KEY = "maintenance_dismissed_ahead"
RECENT_DAYS = 30
FEED_ITEMS = 20


def _unfinished(now: datetime.datetime) -> list[TechnicalWork]:
    return cache.get_or_set(
        f"maintenance:unfinished:v3:{version_token(VERSION_CACHE_KEY)}",
        lambda: list(
            TechnicalWork.objects.published().filter(ends_at__gt=now).prefetch_related("services")
        ),
        timeout=settings.MAINTENANCE_BANNER_CACHE_SECONDS,
    )


@dataclass(frozen=True)
class BannerWork:
    """A work the banner tells of: going on now, or ahead (inside its lead time)."""

    work: TechnicalWork
    ahead: bool


def technical_works_banner(
    *,
    dismissed: list[int],
    dismissed_ahead: list[int] | None = None,
    now: datetime.datetime | None = None,
) -> list[BannerWork]:
    """Works going on right now, then works announced ahead, that this visitor has not hidden."""
    now = now or timezone.now()
    works = _unfinished(now)
    current = [
        BannerWork(work=w, ahead=False)
        for w in works
        if w.is_active_at(now) and w.pk not in dismissed
    ]
    ahead = [
        BannerWork(work=w, ahead=True)
        for w in works
        if w.is_announced_at(now) and w.pk not in (dismissed_ahead or [])
    ]
    return current + ahead


def _with_services(works: QuerySet[TechnicalWork]) -> QuerySet[TechnicalWork]:
    return works.prefetch_related("services")


def technical_works_current(*, now: datetime.datetime | None = None) -> list[TechnicalWork]:
    now = now or timezone.now()
    return list(
        _with_services(
            TechnicalWork.objects.published().filter(starts_at__lte=now, ends_at__gt=now)
        )
    )


def technical_works_planned(*, now: datetime.datetime | None = None) -> list[TechnicalWork]:
    now = now or timezone.now()
    return list(_with_services(TechnicalWork.objects.published().filter(starts_at__gt=now)))


def technical_works_recent(*, now: datetime.datetime | None = None) -> list[TechnicalWork]:
    now = now or timezone.now()
    return list(
        _with_services(
            TechnicalWork.objects.published()
            .filter(ends_at__lte=now, ends_at__gt=now - datetime.timedelta(days=RECENT_DAYS))
            .order_by("-ends_at")
        )
    )


def technical_works_feed() -> list[TechnicalWork]:
    return list(TechnicalWork.objects.published().order_by("-starts_at", "-pk")[:FEED_ITEMS])


def dismissed_works(session, *, ahead: bool = False) -> list[int]:
    key = DISMISSED_AHEAD_SESSION_KEY if ahead else DISMISSED_SESSION_KEY
    return [int(pk) for pk in session.get(key, []) if str(pk).isdigit()]
