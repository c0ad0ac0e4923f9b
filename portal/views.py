from datetime import timedelta

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import TooManyFilesSent
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    JsonResponse,
)
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.http import require_http_methods, require_POST

from portal.actions import accessibility_prefs_save
from portal.forms import AccessibilityForm
from portal.ratelimits import retry_after, wait_in_words
from portal.selectors import accessibility_prefs_for


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@require_http_methods(["GET", "POST"])
def accessibility_settings(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = AccessibilityForm(request.POST)
        if form.is_valid():
            response = redirect("portal:accessibility")
            accessibility_prefs_save(request=request, response=response, prefs=form.to_prefs())
            messages.success(request, _("Настройки сохранены."))
            return response
    else:
        form = AccessibilityForm.for_prefs(accessibility_prefs_for(request=request))
    return render(request, "portal/accessibility.html", {"form": form})


@require_POST
def accessibility_toggle(request: HttpRequest) -> HttpResponse:
    """The header button: one press switches the mode on or off and returns to the page."""
    prefs = accessibility_prefs_for(request=request).toggled()
    response = HttpResponseRedirect(_safe_next(request, reverse("support:hub")))
    accessibility_prefs_save(request=request, response=response, prefs=prefs)
    return response


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for the load balancer: answers without touching the database.

    The benchmarks also use it as the bare-Django baseline.
    """
    return HttpResponse("ok", content_type="text/plain")


def favicon(request: HttpRequest) -> HttpResponse:
    # Resolved per request: the hashed name exists only once static files are collected.
    return HttpResponsePermanentRedirect(static("favicon.svg"))


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 400, in the portal's layout and words; JSON under /api/ (as DRF's own 400s).

    The usual causes a person meets are a form whose file has a very long name, or more
    files than Django takes in one request (DATA_UPLOAD_MAX_NUMBER_FILES): Django refuses
    such a multipart body before any view, or DRF's error handling, can answer.
    """
    upload_failed = isinstance(exception, MultiPartParserError)
    too_many_files = isinstance(exception, TooManyFilesSent)
    if request.path.startswith("/api/"):
        if too_many_files:
            detail = _("Слишком много файлов в одном запросе.")
        elif upload_failed:
            detail = _("Имя одного из файлов слишком длинное или содержит недопустимые символы.")
        else:
            detail = _("Запрос повреждён или слишком велик.")
        return JsonResponse({"detail": detail}, status=400)
    return render(
        request,
        "400.html",
        {"upload_failed": upload_failed, "too_many_files": too_many_files},
        status=400,
    )


# Never shown back or sent again: secrets and the spent token itself.
_NOT_KEPT = ("csrfmiddlewaretoken", "password", "password1", "password2", "oldpassword")
# Sent again but not shown: what the page set, not what the person typed.
_NOT_SHOWN = ("token", "next", "source", "remove_file", "attached")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's CSRF_FAILURE_VIEW: the portal's page, and nothing typed is lost.

    A session that expired or cookies that were cleared while a form was open end here. A
    view that names a page of its own (`portal.http.csrf_failure_page`) shows its form again
    with what was sent; any other form's fields are shown and can be sent again, with a
    fresh token, once the person has looked at them. Nothing is acted on here.
    """
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        view = None
    page = getattr(view, "csrf_failure_page", None)
    if page is not None and request.method == "POST":
        return page(request)
    kept = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in _NOT_KEPT
        for value in values
    ]
    return render(
        request,
        "403_csrf.html",
        {
            "kept": kept,
            "typed": [value for name, value in kept if value.strip() and name not in _NOT_SHOWN],
            "action": request.path if view is not None and request.method == "POST" else "",
        },
        status=403,
    )


def login_locked_out(
    request: HttpRequest, original_response: object = None, credentials: object = None
) -> HttpResponse:
    """What django-axes answers a sign-in refused by the lockout (AXES_LOCKOUT_CALLABLE).

    Every refused attempt restarts the cool-off, so the whole of it is the honest wait.
    """
    cool_off = get_cool_off(request) or timedelta(0)
    response = render(
        request,
        "registration/locked_out.html",
        {"wait": wait_in_words(cool_off)},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    response["Retry-After"] = retry_after(cool_off)
    return response


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 404 handler: JSON under /api/ (as DRF's own 404s), the site's page elsewhere.

    An address no API route matches never reaches DRF, and an API client should not
    have to parse an HTML page to learn that.
    """
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Не найдено.")}, status=404)
    return defaults.page_not_found(request, exception)
