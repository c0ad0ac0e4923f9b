"""The feedback form: one POST registers the appeal with its files, or nothing."""

import uuid
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.catalogue.selectors import service_published_get
from portal.http import HtmxHttpRequest, client_ip, csrf_failure_page, found_or_404
from portal.ratelimits import limited_json, limited_page, ratelimit, setting_rate
from portal.visitors import request_visitor
from support.appeals import actions, selectors
from support.appeals.forms import FeedbackForm
from support.appeals.rules import (
    ANSWER_USUALLY,
    CONSENT_VERSION,
    MAX_DESCRIPTION,
    SESSION_EXPIRED,
    files_lost,
)
from support.appeals.session import (
    form_issue,
    form_issued,
    grant,
    granted_numbers,
    signed_in,
    too_large,
)
from support.centre.uploads import (
    FILE_TOO_BIG,
    MAX_FILES,
    REQUEST_TOO_LARGE,
    ROOM_FULL,
    TOO_MANY_FILES,
    files_check,
)

STALE_FORM = gettext_lazy("Форма устарела. Обновите страницу и приложите файл ещё раз.")


def _initial(request: HtmxHttpRequest) -> dict:
    initial: dict = {"token": uuid.uuid4()}
    user = signed_in(request)
    if user is not None:
        initial.update({"email": user.email, "phone": user.phone})
    service = service_published_get(code=request.GET.get("service", ""))
    if service is not None:
        initial["service"] = service.code
    topic = request.GET.get("topic", "")
    if topic:
        found = selectors.topics_active().filter(slug=topic).first()
        if found:
            initial["topic"] = found.pk
    for name in ("subject", "description"):
        if request.GET.get(name):
            initial[name] = request.GET[name][:200]
    return initial


def _page(request, form: FeedbackForm, *, owner: str, status: int = 200) -> HttpResponse:
    token = form.token_value()
    form_issue(request, token)
    pending = selectors.attachments_pending(token=token, owner=owner)
    data = form.data if form.is_bound else form.initial
    service = form.service_obj or service_published_get(code=str(data.get("service") or ""))
    suggestions = selectors.appeal_faq_suggestions(
        subject=str(data.get("subject") or ""), description=str(data.get("description") or "")
    )
    return render(
        request,
        "support/appeals/feedback.html",
        {
            "form": form,
            "token": token,
            "pending": pending,
            "room": max(0, MAX_FILES - len(pending)),
            "service": service,
            "suggestions": suggestions,
            "max_description": MAX_DESCRIPTION,
            "too_many_files": TOO_MANY_FILES,
            "answer_usually": ANSWER_USUALLY,
            "room_full": ROOM_FULL,
            "consent_version": CONSENT_VERSION,
        },
        status=status,
    )


def _after_csrf_failure(request: HtmxHttpRequest) -> HttpResponse:
    """The form again with what was sent, when the session (and its CSRF cookie) was lost.

    Nothing is registered and nothing sent is stored: the citizen checks the form and sends
    it again, attaching the files anew (they belonged to the lost session).
    """
    posted = FeedbackForm(request.POST, user=signed_in(request))
    form = posted.again(token=uuid.uuid4())
    form.refusal_add(ValidationError(SESSION_EXPIRED))
    names = selectors.attachment_names_pending(
        token=posted.token_value(), keys=posted.attached_keys()
    )
    sent_files = [upload.name for upload in request.FILES.getlist("files")]
    if names or sent_files:
        form.refusal_add(ValidationError({"files": files_lost([*names, *sent_files])}))
    return _page(request, form, owner=request_visitor(request), status=403)


@csrf_failure_page(_after_csrf_failure)
@ratelimit(group="appeals-form", key="ip", rate=setting_rate("APPEALS_FORM_RATE"), method="POST")
@require_http_methods(["GET", "POST"])
def feedback(request: HtmxHttpRequest) -> HttpResponse:
    """The feedback form: one POST registers the appeal with its files, or nothing."""
    user, owner = signed_in(request), request_visitor(request)
    if request.method == "GET":
        return _page(request, FeedbackForm(initial=_initial(request), user=user), owner=owner)
    if too_large(request):
        return render(
            request, "support/appeals/too_large.html", {"message": REQUEST_TOO_LARGE}, status=413
        )
    if getattr(request, "limited", False):
        return limited_page(request)
    form = FeedbackForm(request.POST, request.FILES, user=user)
    sent = form.sent()
    outcome = actions.feedback_send(
        author=user,
        visitor=owner,
        address=client_ip(request),
        key_issued=form_issued(request, sent["token"]),
        **sent,
    )
    if outcome.appeal is not None:
        grant(request, outcome.appeal.number)
        return redirect("appeals:sent", number=outcome.appeal.number)
    removed = "remove_file" in request.POST and not outcome.refusals
    return _page(request, form.after(outcome), owner=owner, status=200 if removed else 400)


@ratelimit(
    group="appeals-upload", key="ip", rate=setting_rate("APPEALS_UPLOAD_RATE"), method="POST"
)
@require_POST
def feedback_upload(request: HtmxHttpRequest) -> JsonResponse:
    """One file uploaded ahead of the form (with a progress bar); JSON for the script."""
    if too_large(request):
        return JsonResponse({"error": str(FILE_TOO_BIG)}, status=413)
    if getattr(request, "limited", False):
        return limited_json(request)
    owner = request_visitor(request)
    try:
        token = uuid.UUID(request.POST.get("token", ""))
    except ValueError:
        token = None
    if token is None or not form_issued(request, token):
        # Only a form this visitor was given may collect files ahead of sending.
        return JsonResponse({"error": str(STALE_FORM)}, status=400)
    uploads = request.FILES.getlist("files")[:1]
    if not uploads:
        return JsonResponse({"error": _("Выберите файл.")}, status=400)
    pending = selectors.attachments_pending(token=token, owner=owner)
    accepted, errors = files_check(uploads, room=MAX_FILES - len(pending))
    if errors or not accepted:
        return JsonResponse({"error": " ".join(errors) or str(TOO_MANY_FILES)}, status=400)
    try:
        (attachment,) = actions.attachments_stash(
            token=token, owner=owner, address=client_ip(request), files=accepted
        )
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    return JsonResponse(
        {
            "key": str(attachment.key),
            "name": attachment.original_name,
            "size": filesizeformat(attachment.size),
            "room": MAX_FILES - len(pending) - 1,
        },
        status=201,
    )


@require_GET
def feedback_suggest(request: HtmxHttpRequest) -> HttpResponse:
    """FAQ articles matching what the citizen is typing; a plain visit gets the FAQ search."""
    subject = request.GET.get("subject", "")[:200]
    description = request.GET.get("description", "")[:600]
    if not request.htmx:
        query = " ".join(f"{subject} {description}".split())[:200]
        return redirect(f"{reverse('faq:index')}?{urlencode({'q': query})}")
    suggestions = selectors.appeal_faq_suggestions(subject=subject, description=description)
    return render(
        request, "support/appeals/feedback.html#suggestions", {"suggestions": suggestions}
    )


@require_GET
def consent_text(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "support/appeals/consent.html", {"version": CONSENT_VERSION})


@never_cache
@require_GET
def sent(request: HtmxHttpRequest, number: str) -> HttpResponse:
    appeal = found_or_404(
        selectors.appeal_for_citizen(
            number=number, user=signed_in(request), granted=granted_numbers(request)
        )
    )
    return render(request, "support/appeals/sent.html", {"appeal": appeal})
