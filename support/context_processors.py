from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from support.contacts import selectors


def contact_channels(request: HttpRequest) -> dict:
    """The footer's channels, queried only by pages that render the footer."""
    return {
        "footer_channels": SimpleLazyObject(lambda: selectors.contact_channels(footer_only=True))
    }
