"""The citizen cabinet: the home page, "Мои заявки" and an application's page."""

from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_htmx.http import push_url
from django_htmx.middleware import HtmxDetails

from portal.applications import access as application_access
from portal.applications.selectors import application_of
from portal.http import found_or_404
from support.cabinet.forms import TrackerFilterForm
from support.cabinet.selectors import (
    Sort,
    State,
    tracker_home,
    tracker_page,
)


@never_cache
@require_GET
def home(request) -> HttpResponse:
    """Counts, what waits for the citizen first, the latest changes, links."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    home = tracker_home(user=request.user)
    return render(
        request,
        "support/cabinet/home.html",
        {
            "counts": home.counts,
            "needs_action": home.needs_action,
            "more_needs_action": home.counts.needs_action > len(home.needs_action),
            "recent": home.recent,
        },
    )


@never_cache
@require_GET
def applications(request) -> HttpResponse:
    """ "Мои заявки": everything the citizen started, in one list; all state in the URL."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    form = TrackerFilterForm(request.GET)
    query = form.query()
    page, counts = tracker_page(user=request.user, query=query)
    params = {
        key: value
        for key, value in (
            ("state", query.state if query.state != State.ACTIVE else ""),
            ("kind", query.kind),
            ("number", query.number),
            ("sort", query.sort if query.sort != Sort.CHANGED else ""),
        )
        if value
    }
    context = {
        "form": form,
        "query": query,
        "page": page,
        "counts": counts,
        "page_query": urlencode(params),
        "states": form.fields["state"].choices,
        "kinds": form.fields["kind"].choices,
        "sorts": form.fields["sort"].choices,
    }
    htmx: HtmxDetails | None = getattr(request, "htmx", None)
    partial = bool(htmx) and not htmx.history_restore_request and htmx.target == "tracker-results"
    response = render(
        request,
        "support/cabinet/applications.html" + ("#results" if partial else ""),
        context,
    )
    if partial:
        base = reverse("cabinet:applications")
        if query.page > 1:
            params["page"] = str(page.number)
        push_url(response, f"{base}?{urlencode(params)}" if params else base)
    patch_vary_headers(response, ["HX-Request"])
    return response


@never_cache
@require_GET
def application_detail(request, number: str) -> HttpResponse:
    """One application with its timeline; someone else's is a 404."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    application = found_or_404(application_of(user=request.user, number=number))
    return render(
        request,
        "support/cabinet/application.html",
        {
            "application": application,
            "events": list(application.events.all()),
            "overdue": application_access.overdue(application, today=timezone.localdate()),
        },
    )
