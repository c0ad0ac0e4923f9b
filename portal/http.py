from typing import TypeVar

from django.http import Http404, HttpRequest
from django_htmx.middleware import HtmxDetails

T = TypeVar("T")


class HtmxHttpRequest(HttpRequest):
    """A request that went through django-htmx's middleware (for type checkers)."""

    htmx: HtmxDetails


def found_or_404(value: T | None) -> T:
    """What a selector found, or a 404 when it found nothing (selectors return None)."""
    if value is None:
        raise Http404
    return value
