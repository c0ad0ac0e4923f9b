from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from support.contacts import selectors
from support.maintenance import selectors as maintenance


def contact_channels(request: HttpRequest) -> dict:
    """The footer's channels, read only when the footer is not in the cache."""
    return {
        "footer_channels": SimpleLazyObject(lambda: selectors.contact_channels(footer_only=True)),
        "footer_cache_seconds": settings.CONTACTS_CACHE_SECONDS,
        "footer_version": SimpleLazyObject(selectors.contact_channels_version),
    }


def technical_works(request: HttpRequest) -> dict:
    """The works going on now or announced ahead, for the banner on every page (cached, see
    the selector)."""

    def banner() -> list:
        session = getattr(request, "session", None)
        if session is None:
            return maintenance.technical_works_banner(dismissed=[])
        return maintenance.technical_works_banner(
            dismissed=maintenance.dismissed_works(session),
            dismissed_ahead=maintenance.dismissed_works(session, ahead=True),
        )

    return {"technical_works_banner": SimpleLazyObject(banner)}
