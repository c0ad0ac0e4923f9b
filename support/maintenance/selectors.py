"""Reading technical works: the status page, the feed and the banner on every page."""

import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from portal.caching import version_token
from support.maintenance.models import TechnicalWork

# Every page asks for the banner: the unfinished works are cached briefly under the works'
# version, which every write renews (support.maintenance.actions), so only the clock is read
# per request.
VERSION_CACHE_KEY = "maintenance:version"
DISMISSED_SESSION_KEY = "maintenance_dismissed"
RECENT_DAYS = 30
FEED_ITEMS = 20


def _unfinished(now: datetime.datetime) -> list[TechnicalWork]:
    return cache.get_or_set(
        f"maintenance:unfinished:v2:{version_token(VERSION_CACHE_KEY)}",
        lambda: list(TechnicalWork.objects.published().filter(ends_at__gt=now)),
        timeout=settings.MAINTENANCE_BANNER_CACHE_SECONDS,
    )


def technical_works_banner(
    *, dismissed: list[int], now: datetime.datetime | None = None
) -> list[TechnicalWork]:
    """Works going on right now that this visitor has not hidden."""
    now = now or timezone.now()
    return [w for w in _unfinished(now) if w.is_active_at(now) and w.pk not in dismissed]


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


def dismissed_works(session) -> list[int]:
    return [int(pk) for pk in session.get(DISMISSED_SESSION_KEY, []) if str(pk).isdigit()]
