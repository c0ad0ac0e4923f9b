"""Citizens' pages: the feedback form, the confirmation, the appeal page, the lookup."""

import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from portal.http import HtmxHttpRequest
from support.appeals import actions, selectors
from support.appeals.forms import FeedbackForm, LookupForm, TextForm, file_errors_check
from support.appeals.models import Appeal
from support.appeals.uploads import MAX_FILES, TOO_MANY_FILES

ACCESS_SESSION_KEY = "appeals_access"
STALE_FORM = gettext_lazy("Форма устарела. Проверьте данные и отправьте её ещё раз.")
LOOKUP_FAILED = gettext_lazy("Обращение не найдено. Проверьте номер и адрес электронной почты.")


def _rate(name: str):
    # Read at request time, so deployments (and tests) can tune the limits.
    return lambda group, request: getattr(settings, name)


def granted_numbers(request: HtmxHttpRequest) -> list[str]:
    return list(request.session.get(ACCESS_SESSION_KEY, []))


def _grant(request: HtmxHttpRequest, number: str) -> None:
    numbers = [n for n in granted_numbers(request) if n != number]
    request.session[ACCESS_SESSION_KEY] = (numbers + [number])[-20:]


def _owner(request: HtmxHttpRequest) -> str:
    if not request.session.session_key:
        request.session.save()
    return actions.owner_key_for(user=request.user, session_key=request.session.session_key or "")


def _too_large(request: HtmxHttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > settings.APPEALS_MAX_REQUEST_BYTES


def _limited(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "support/appeals/limited.html", status=429)


def _user(request: HtmxHttpRequest):
    return request.user if request.user.is_authenticated else None


def _initial(request: HtmxHttpRequest) -> dict:
    initial: dict = {"token": uuid.uuid4()}
    user = _user(request)
    if user is not None:
        initial.update({"email": user.email, "phone": user.phone})
    service = selectors.service_by_code(code=request.GET.get("service", ""))
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
    pending = actions.attachments_pending(token=token, owner=owner)
    data = form.data if form.is_bound else form.initial
    service = form.service_obj or selectors.service_by_code(code=str(data.get("service") or ""))
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
            "max_description": actions.MAX_DESCRIPTION,
            "consent_version": actions.CONSENT_VERSION,
        },
        status=status,
    )


@ratelimit(
    group="appeals-form", key="ip", rate=_rate("APPEALS_FORM_RATE"), method="POST", block=False
)
@require_http_methods(["GET", "POST"])
def feedback(request: HtmxHttpRequest) -> HttpResponse:
    """The feedback form: one POST registers the appeal with its files, or nothing."""
    owner = _owner(request)
    if request.method == "GET":
        return _render_feedback(
            request, FeedbackForm(initial=_initial(request), user=_user(request)), owner=owner
        )
    if _too_large(request):
        return render(request, "support/appeals/too_large.html", status=413)
    if getattr(request, "limited", False):
        return _limited(request)

    probe = FeedbackForm(request.POST, user=_user(request))
    token = probe.token_value()
    pending = actions.attachments_pending(token=token, owner=owner)
    remove = request.POST.get("remove_file")
    if remove:
        # "Удалить" next to an already accepted file: no validation, just the form back.
        try:
            actions.attachment_unstash(token=token, owner=owner, key=uuid.UUID(remove))
        except ValueError:
            pass
        initial = {**request.POST.dict(), "token": token}
        form = FeedbackForm(initial=initial, user=_user(request))
        _stash_new(request, form, token=token, owner=owner, pending_count=len(pending) - 1)
        return _render_feedback(request, form, owner=owner)

    existing = Appeal.objects.filter(idempotency_key=token).first()
    if existing is not None:
        if existing.number in granted_numbers(request) or (
            request.user.is_authenticated and existing.author_id == request.user.pk
        ):
            # A refresh or second click after success: show the same appeal again.
            return redirect("appeals:sent", number=existing.number)
        # A token that is not this visitor's: never reveal or reuse that appeal.
        form = FeedbackForm(
            initial={**request.POST.dict(), "token": uuid.uuid4()}, user=_user(request)
        )
        messages.error(request, STALE_FORM)
        return _render_feedback(request, form, owner=owner, status=400)

    form = FeedbackForm(
        request.POST, request.FILES, user=_user(request), pending_count=len(pending)
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            appeal = actions.appeal_register(
                author=_user(request),
                topic=data["topic"],
                service=form.service_obj,
                subject=data["subject"],
                description=data["description"],
                phone=data["phone"],
                email=data["email"],
                answer_channel=data["answer_channel"],
                consent=data["consent"],
                files=form.accepted_files,
                pending_token=token,
                pending_owner=owner,
                idempotency_key=token,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            _grant(request, appeal.number)
            return redirect("appeals:sent", number=appeal.number)
    # Keep the files that passed the checks, so nobody uploads them twice.
    if form.accepted_files:
        try:
            actions.attachments_stash(token=token, owner=owner, files=form.accepted_files)
        except ValidationError as error:
            _add_errors(form, error)
    return _render_feedback(request, form, owner=owner, status=400)


def _stash_new(request, form, *, token, owner, pending_count: int) -> None:
    uploads = request.FILES.getlist("files")
    if not uploads:
        return
    accepted = file_errors_check(form, uploads, room=max(0, MAX_FILES - pending_count))
    if accepted:
        actions.attachments_stash(token=token, owner=owner, files=accepted)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@ratelimit(
    group="appeals-upload", key="ip", rate=_rate("APPEALS_UPLOAD_RATE"), method="POST", block=False
)
@require_POST
def feedback_upload(request: HtmxHttpRequest) -> JsonResponse:
    """One file uploaded ahead of the form (with a progress bar); JSON for the script."""
    if _too_large(request):
        return JsonResponse({"error": _("Файл больше 10 МБ.")}, status=413)
    if getattr(request, "limited", False):
        return JsonResponse({"error": _("Слишком много попыток. Попробуйте позже.")}, status=429)
    owner = _owner(request)
    try:
        token = uuid.UUID(request.POST.get("token", ""))
    except ValueError:
        return JsonResponse({"error": _("Обновите страницу и попробуйте ещё раз.")}, status=400)
    form = TextForm(data={"text": "-"}, files=request.FILES, with_files=True)
    form.is_valid()
    pending = actions.attachments_pending(token=token, owner=owner)
    uploads = request.FILES.getlist("files")[:1]
    if not uploads:
        return JsonResponse({"error": _("Выберите файл.")}, status=400)
    if len(pending) >= MAX_FILES:
        return JsonResponse({"error": str(TOO_MANY_FILES)}, status=400)
    errors = form.errors.get("files")
    if errors or not form.accepted_files:
        return JsonResponse({"error": " ".join(errors or [])}, status=400)
    try:
        (attachment,) = actions.attachments_stash(
            token=token, owner=owner, files=form.accepted_files[:1]
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
    return render(request, "support/appeals/consent.html", {"version": actions.CONSENT_VERSION})


@require_GET
def sent(request: HtmxHttpRequest, number: str) -> HttpResponse:
    appeal = selectors.appeal_for_citizen(
        number=number, user=_user(request), granted=granted_numbers(request)
    )
    return render(request, "support/appeals/sent.html", {"appeal": appeal})


# --- The appeal page ---------------------------------------------------------------------


def _appeal_or_redirect(request: HtmxHttpRequest, number: str) -> Appeal | HttpResponse:
    if not request.user.is_authenticated and number not in granted_numbers(request):
        # The same for every number, existing or not: nothing leaks.
        return redirect(f"{reverse('appeals:lookup')}?{urlencode({'number': number})}")
    return selectors.appeal_for_citizen(
        number=number, user=_user(request), granted=granted_numbers(request)
    )


def _render_detail(request, appeal: Appeal, *, forms: dict | None = None, status: int = 200):
    forms = forms or {}
    return render(
        request,
        "support/appeals/detail.html",
        {
            "appeal": appeal,
            "timeline": selectors.appeal_timeline(appeal=appeal, public_only=True),
            "files": selectors.appeal_files(appeal=appeal),
            "clarify_form": forms.get("clarify")
            or TextForm(label=_("Ваш ответ оператору"), with_files=True, prefix="clarify"),
            "review_form": forms.get("review")
            or TextForm(label=_("Что в ответе не так"), prefix="review"),
            "escalate_form": forms.get("escalate")
            or TextForm(label=_("Почему вы обращаетесь к руководителю"), prefix="escalate"),
            "review_allowed": actions.review_allowed(appeal),
            "escalation_allowed": actions.escalation_allowed(appeal),
            "is_overdue": appeal.is_overdue_on(actions._local_today()),
            "open_form": next(iter(forms), ""),
        },
        status=status,
    )


@require_GET
def appeal_detail(request: HtmxHttpRequest, number: str) -> HttpResponse:
    appeal = _appeal_or_redirect(request, number)
    if isinstance(appeal, HttpResponse):
        return appeal
    return _render_detail(request, appeal)


CITIZEN_STEPS = {
    "clarify": (
        actions.appeal_clarify,
        gettext_lazy("Ваш ответ оператору"),
        True,
        gettext_lazy("Спасибо, уточнения отправлены оператору."),
    ),
    "review": (
        actions.appeal_request_review,
        gettext_lazy("Что в ответе не так"),
        False,
        gettext_lazy("Запрос на пересмотр принят. Обращение снова в работе."),
    ),
    "escalate": (
        actions.appeal_escalate,
        gettext_lazy("Почему вы обращаетесь к руководителю"),
        False,
        gettext_lazy("Обращение передано руководителю."),
    ),
}


@require_POST
def appeal_step(request: HtmxHttpRequest, number: str, step: str) -> HttpResponse:
    """The citizen's moves on the appeal page: clarify, ask for a review, escalate."""
    appeal = _appeal_or_redirect(request, number)
    if isinstance(appeal, HttpResponse):
        return appeal
    if step == "resolved":
        try:
            actions.appeal_confirm_resolved(appeal=appeal, actor=_user(request))
            messages.success(request, _("Спасибо! Обращение закрыто."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(appeal.get_absolute_url())
    if step not in CITIZEN_STEPS:
        return redirect(appeal.get_absolute_url())
    action, label, with_files, done = CITIZEN_STEPS[step]
    form = TextForm(request.POST, request.FILES, label=label, with_files=with_files, prefix=step)
    if form.is_valid():
        kwargs = {"appeal": appeal, "actor": _user(request)}
        if step == "clarify":
            kwargs.update(text=form.cleaned_data["text"], files=form.accepted_files)
        else:
            kwargs["reason"] = form.cleaned_data["text"]
        try:
            action(**kwargs)
        except ValidationError as error:
            _add_errors(form, _renamed(error))
        except PermissionDenied:
            form.add_error(None, actions.WRONG_STATUS)
        else:
            messages.success(request, done)
            return redirect(appeal.get_absolute_url())
    appeal.refresh_from_db()
    return _render_detail(request, appeal, forms={step: form}, status=400)


def _renamed(error: ValidationError) -> ValidationError:
    """Actions name their text "text" or "reason"; the citizen's forms call it "text"."""
    if hasattr(error, "error_dict") and "reason" in error.error_dict:
        return ValidationError({"text": error.error_dict["reason"]})
    return error


@require_GET
def attachment_download(request: HtmxHttpRequest, number: str, key: str) -> FileResponse:
    """Only the owner (or whoever proved number + e-mail) and staff; 404 for everyone else."""
    attachment = selectors.attachment_for(
        number=number, key=key, user=_user(request), granted=granted_numbers(request)
    )
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@ratelimit(
    group="appeals-lookup", key="ip", rate=_rate("APPEALS_LOOKUP_RATE"), method="POST", block=False
)
@require_http_methods(["GET", "POST"])
def lookup(request: HtmxHttpRequest) -> HttpResponse:
    """Number + e-mail open the appeal without an account; the same answer for any mistake."""
    if request.method == "GET":
        form = LookupForm(initial={"number": request.GET.get("number", "")[:20]})
        return render(request, "support/appeals/lookup.html", {"form": form})
    if getattr(request, "limited", False):
        return _limited(request)
    form = LookupForm(request.POST)
    if form.is_valid():
        appeal = selectors.appeal_lookup(
            number=form.cleaned_data["number"], email=form.cleaned_data["email"]
        )
        if appeal is not None:
            _grant(request, appeal.number)
            return redirect(appeal.get_absolute_url())
        form.add_error(None, LOOKUP_FAILED)
    return render(request, "support/appeals/lookup.html", {"form": form}, status=400)


@require_GET
def my_appeals(request: HtmxHttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"{reverse('login')}?{urlencode({'next': request.path})}")
    return render(
        request,
        "support/appeals/mine.html",
        {"appeals": selectors.appeals_of(user=request.user)},
    )
