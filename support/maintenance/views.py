"""The technical works page and hiding the banner."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from portal.http import HtmxHttpRequest
from support.maintenance import actions, selectors


@require_GET
def status(request: HtmxHttpRequest) -> HttpResponse:
    now = timezone.now()
    return render(
        request,
        "support/maintenance/status.html",
        {
            "current": selectors.technical_works_current(now=now),
            "planned": selectors.technical_works_planned(now=now),
            "recent": selectors.technical_works_recent(now=now),
            "now": now,
        },
    )


@require_POST
def dismiss(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Hide a banner for this session: htmx swaps it out, a plain POST returns to the page."""
    if not actions.technical_work_dismiss(session=request.session, work_id=pk):
        raise Http404
    if request.htmx:
        return HttpResponse("")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("support:status")
    return redirect(target)
