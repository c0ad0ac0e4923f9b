"""The feedback form: one POST registers the appeal with its files, or nothing."""

import uuid
from urllib.parse import urlencode

from django.contrib import messages
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
from portal.http import HtmxHttpRequest, client_ip, found_or_404
from portal.ratelimits import limited_json, ratelimit
from support.appeals import actions, selectors
from support.appeals.forms import FeedbackForm, file_errors_check
from support.appeals.rules import CONSENT_VERSION, MAX_DESCRIPTION
from support.appeals.session import (
    form_errors_add,
    form_issue,
    form_issued,
    grant,
    granted_numbers,
    limited,
    rate,
    signed_in,
    too_large,
    visitor,
)
from support.appeals.uploads import MAX_FILES, TOO_MANY_FILES, files_check

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


def _render_feedback(request, form: FeedbackForm, *, owner: str, status: int = 200):
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
            "consent_version": CONSENT_VERSION,
        },
        status=status,
    )


@ratelimit(group="appeals-form", key="ip", rate=rate("APPEALS_FORM_RATE"), method="POST")
@require_http_methods(["GET", "POST"])
def feedback(request: HtmxHttpRequest) -> HttpResponse:
    """The feedback form: one POST registers the appeal with its files, or nothing."""
    owner = visitor(request)
    if request.method == "GET":
        return _render_feedback(
            request, FeedbackForm(initial=_initial(request), user=signed_in(request)), owner=owner
        )
    if too_large(request):
        return render(request, "support/appeals/too_large.html", status=413)
    if getattr(request, "limited", False):
        return limited(request)

    probe = FeedbackForm(request.POST, user=signed_in(request))
    token = probe.token_value()
    pending = selectors.attachments_pending(token=token, owner=owner)
    remove = request.POST.get("remove_file")
    if remove:
        # "Удалить" next to an already accepted file: no validation, just the form back.
        try:
            actions.attachment_unstash(token=token, owner=owner, key=uuid.UUID(remove))
        except ValueError:
            pass
        initial = {**request.POST.dict(), "token": token}
        form = FeedbackForm(initial=initial, user=signed_in(request))
        _stash_new(request, form, token=token, owner=owner, pending_count=len(pending) - 1)
        return _render_feedback(request, form, owner=owner)

    form = FeedbackForm(
        request.POST, request.FILES, user=signed_in(request), pending_count=len(pending)
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            appeal = actions.appeal_register(
                author=signed_in(request),
                topic=data["topic"],
                service=form.service_obj,
                subject=data["subject"],
                description=data["description"],
                phone=data["phone"],
                email=data["email"],
                answer_channel=data["answer_channel"],
                consent=data["consent"],
                files=form.accepted_files,
                visitor=owner,
                pending_token=token,
                idempotency_key=token,
                key_issued=form_issued(request, token),
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "idempotency_conflict":
                # Somebody else's form, or this one sent before with other content: a
                # fresh form with what was typed, never the appeal behind the old token.
                fresh = FeedbackForm(
                    initial={**request.POST.dict(), "token": uuid.uuid4()}, user=signed_in(request)
                )
                messages.error(request, error.messages[0])
                return _render_feedback(request, fresh, owner=owner, status=400)
            form_errors_add(form, error)
        else:
            grant(request, appeal.number)
            return redirect("appeals:sent", number=appeal.number)
    # Keep the files that passed the checks, so nobody uploads them twice.
    if form.accepted_files:
        try:
            actions.attachments_stash(
                token=token, owner=owner, address=client_ip(request), files=form.accepted_files
            )
        except ValidationError as error:
            form_errors_add(form, error)
    return _render_feedback(request, form, owner=owner, status=400)


def _stash_new(request, form, *, token, owner, pending_count: int) -> None:
    uploads = request.FILES.getlist("files")
    if not uploads:
        return
    accepted = file_errors_check(form, uploads, room=max(0, MAX_FILES - pending_count))
    if accepted:
        actions.attachments_stash(
            token=token, owner=owner, address=client_ip(request), files=accepted
        )


@ratelimit(group="appeals-upload", key="ip", rate=rate("APPEALS_UPLOAD_RATE"), method="POST")
@require_POST
def feedback_upload(request: HtmxHttpRequest) -> JsonResponse:
    """One file uploaded ahead of the form (with a progress bar); JSON for the script."""
    if too_large(request):
        return JsonResponse({"error": _("Файл больше 10 МБ.")}, status=413)
    if getattr(request, "limited", False):
        return limited_json(request)
    owner = visitor(request)
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
