"""Writing the calendar's exceptions; every write drops the cached calendar."""

from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

from portal.actions import edited_save
from portal.workcalendar.models import CalendarException
from portal.workcalendar.selectors import EXCEPTIONS_CACHE_KEY, SHORTENED_CACHE_KEY

CACHE_KEYS = [EXCEPTIONS_CACHE_KEY, SHORTENED_CACHE_KEY]


def calendar_exceptions_changed() -> None:
    """Drop the cached exceptions now and again once the change is committed.

    Now, so that this transaction reads its own change; after the commit, because a
    request running meanwhile may have cached the rows as they were before it.
    """
    cache.delete_many(CACHE_KEYS)
    transaction.on_commit(lambda: cache.delete_many(CACHE_KEYS))


def calendar_exception_save(*, exception: CalendarException) -> CalendarException:
    return edited_save(exception, changed=calendar_exceptions_changed)


def calendar_exceptions_delete(*, exceptions: Iterable[CalendarException]) -> None:
    with transaction.atomic():
        CalendarException.objects.filter(pk__in=[e.pk for e in exceptions]).delete()
        calendar_exceptions_changed()
