from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET
from django_htmx.http import HttpResponseClientRedirect, push_url

from portal.catalogue import actions, selectors
from portal.catalogue.forms import CatalogueFilterForm
from portal.catalogue.models import Service
from portal.http import HtmxHttpRequest, found_or_404

SEEN_SESSION_KEY = "catalogue_seen"
PREVIEW_PERMISSION = "catalogue.view_service"


@require_GET
def catalogue_index(request: HtmxHttpRequest) -> HttpResponse:
    """Search and filters; all state in the URL, so links, reload and back work."""
    form = CatalogueFilterForm(request.GET)
    query = form.query()
    if query.q:
        service = selectors.catalogue_number_lookup(q=query.q)
        if service is not None:
            if request.htmx:
                return HttpResponseClientRedirect(service.get_absolute_url())
            return redirect(service)
    results = selectors.catalogue_search(query=query)
    context = {
        "query": results.query,
        "typed_query": query.q,
        "results": results,
        "notices": form.notices + results.notices,
        "sorts": selectors.Sort.choices,
    }
    partial = (
        request.htmx
        and not request.htmx.history_restore_request
        and request.htmx.target == "catalogue-results"
    )
    template = "portal/catalogue/index.html" + ("#update" if partial else "")
    response = render(request, template, context)
    if partial:
        # The address bar shows the query as applied: defaults left out, bad values gone.
        canonical = reverse("catalogue:index")
        params = results.url_query()
        push_url(response, f"{canonical}?{params}" if params else canonical)
    # A partial and a full page share a URL: caches and the back button must not mix them.
    patch_vary_headers(response, ["HX-Request"])
    return response


def _service_or_none(request: HtmxHttpRequest, code: str) -> Service | None:
    return selectors.service_get(code=code, preview=request.user.has_perm(PREVIEW_PERMISSION))


@require_GET
def service_detail(request: HtmxHttpRequest, code: str) -> HttpResponse:
    service = _service_or_none(request, code)
    if service is None:
        return render(request, "portal/catalogue/not_found.html", {"code": code[:40]}, status=404)
    if service.is_published:
        # A view counts once per visit, so reloading does not make a service "popular".
        seen = request.session.get(SEEN_SESSION_KEY, [])
        if service.pk not in seen:
            actions.service_view_record(service=service)
            request.session[SEEN_SESSION_KEY] = (seen + [service.pk])[-200:]
    return render(
        request,
        "portal/catalogue/detail.html",
        {
            "service": service,
            "documents": selectors.service_documents(service=service),
            "related_links": selectors.service_related_links(service=service),
            "neighbours": selectors.service_neighbours(service=service),
            "preview": not service.is_published,
            "apply_topic": settings.CATALOGUE_APPLY_TOPIC,
        },
    )


@require_GET
def service_memo(request: HtmxHttpRequest, code: str) -> HttpResponse:
    """ "Скачать памятку (PDF)": a download, named after the service number."""
    # fpdf2 takes seconds to import (its font tables): only a memo's request pays for it,
    # not every process's first request after a (re)start.
    from portal.catalogue.pdf import service_memo_pdf

    service = found_or_404(_service_or_none(request, code))
    pdf = service_memo_pdf(
        service=service, page_url=request.build_absolute_uri(service.get_absolute_url())
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"pamyatka-usluga-{service.code}.pdf"
    )
    response["Cache-Control"] = "private, max-age=300"
    return response
