from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from faq.forms import SearchForm
from faq.selectors import faq_categories, faq_popular
from support.contacts.selectors import contact_channels_status


@require_GET
def hub(request: HttpRequest) -> HttpResponse:
    """The help hub: ask first, then browse, then reach a person."""
    return render(
        request,
        "support/hub.html",
        {
            "form": SearchForm(),
            "popular": faq_popular(limit=8),
            "categories": faq_categories(),
            "channels": contact_channels_status(),
        },
    )
