"""Writing technical works: what the admin saves, and a visitor hiding the banner."""

from django.contrib.sessions.backends.base import SessionBase

from portal.caching import version_renew
from support.maintenance.models import TechnicalWork
from support.maintenance.selectors import DISMISSED_SESSION_KEY, VERSION_CACHE_KEY, dismissed_works

# Enough for any real week of works; the session never grows without bound.
MAX_DISMISSED = 50


def technical_works_changed() -> None:
    """A new version: the banner's cached works are no longer used. For writes made
    elsewhere (the admin's services, a bulk load); the functions below call it themselves."""
    version_renew(VERSION_CACHE_KEY)


def technical_work_save(*, work: TechnicalWork) -> TechnicalWork:
    work.full_clean()
    work.save()
    technical_works_changed()
    return work


def technical_work_delete(*, work: TechnicalWork) -> None:
    work.delete()
    technical_works_changed()


def technical_work_dismiss(*, session: SessionBase, work_id: int) -> bool:
    """Hide one work's banner for this session; False when there is no such work."""
    if not TechnicalWork.objects.published().filter(pk=work_id).exists():
        return False
    ids = [pk for pk in dismissed_works(session) if pk != work_id]
    session[DISMISSED_SESSION_KEY] = (ids + [work_id])[-MAX_DISMISSED:]
    return True
