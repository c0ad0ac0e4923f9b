"""Writing technical works: what the admin saves, and a visitor hiding the banner."""

import datetime

from django.contrib.sessions.backends.base import SessionBase
from django.utils import timezone

from portal.actions import edited_save
from portal.caching import version_renew
from support.maintenance.models import TechnicalWork
from support.maintenance.selectors import (
    DISMISSED_AHEAD_SESSION_KEY,
    DISMISSED_SESSION_KEY,
    VERSION_CACHE_KEY,
    dismissed_works,
)

# Enough for any real week of works; the session never grows without bound.
MAX_DISMISSED = 50


def technical_works_changed() -> None:
    """A new version: the banner's cached works are no longer used. For writes made
    elsewhere (the admin's services, a bulk load); the functions below call it themselves."""
    version_renew(VERSION_CACHE_KEY)


def technical_work_save(*, work: TechnicalWork) -> TechnicalWork:
    return edited_save(work, changed=technical_works_changed)


def technical_work_delete(*, work: TechnicalWork) -> None:
    work.delete()
    technical_works_changed()


def technical_work_dismiss(
    *, session: SessionBase, work_id: int, now: datetime.datetime | None = None
) -> bool:
    """Hide one work's banner for this session; False when there is no such work.

    Hidden ahead of the start, the warning comes back once the work begins: that is when
    the citizen runs into it.
    """
    now = now or timezone.now()
    work = TechnicalWork.objects.published().filter(pk=work_id).first()
    if work is None:
        return False
    ahead = now < work.starts_at
    key = DISMISSED_AHEAD_SESSION_KEY if ahead else DISMISSED_SESSION_KEY
    ids = [pk for pk in dismissed_works(session, ahead=ahead) if pk != work_id]
    session[key] = (ids + [work_id])[-MAX_DISMISSED:]
    return True
