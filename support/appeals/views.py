"""Citizens' pages: the feedback form, the confirmation, the appeal page, the lookup."""

import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from portal.catalogue.selectors import service_published_get
from portal.http import HtmxHttpRequest
from portal.visitors import visitor_key
from support.appeals import actions, lifecycle, selectors
from support.appeals.forms import FeedbackForm, LookupForm, TextForm, file_errors_check
from support.appeals.lifecycle import Step
from support.appeals.models import Appeal
from support.appeals.rules import (
    CONSENT_VERSION,
    MAX_DESCRIPTION,
    REVIEW_WINDOW_DAYS,
)
from support.appeals.uploads import MAX_FILES, TOO_MANY_FILES, files_check

ACCESS_SESSION_KEY = "appeals_access"
FORMS_SESSION_KEY = "appeals_forms"  # tokens of the feedback forms this session was given
STALE_FORM = gettext_lazy("Форма устарела. Обновите страницу и приложите файл ещё раз.")
LOOKUP_FAILED = gettext_lazy("Обращение не найдено. Проверьте номер и адрес электронной почты.")


def _rate(name: str):
    # Read at request time, so deployments (and tests) can tune the limits.
    return lambda group, request: getattr(settings, name)


def granted_numbers(request: HtmxHttpRequest) -> list[str]:
    return list(request.session.get(ACCESS_SESSION_KEY, []))


def _grant(request: HtmxHttpRequest, number: str) -> None:
    numbers = [n for n in granted_numbers(request) if n != number]
    request.session[ACCESS_SESSION_KEY] = (numbers + [number])[-20:]


def _visitor(request: HtmxHttpRequest) -> str:
    if not request.session.session_key:
        request.session.save()
    return visitor_key(user=request.user, session_key=request.session.session_key or "")


def _form_issue(request: HtmxHttpRequest, token: uuid.UUID) -> None:
    """Remember a form token given to this visitor: uploads ahead of the form need one."""
    tokens = [t for t in request.session.get(FORMS_SESSION_KEY, []) if t != str(token)]
    request.session[FORMS_SESSION_KEY] = (tokens + [str(token)])[-10:]


def _form_issued(request: HtmxHttpRequest, token: uuid.UUID) -> bool:
    return str(token) in request.session.get(FORMS_SESSION_KEY, [])


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
    _form_issue(request, token)
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


@ratelimit(
    group="appeals-form", key="ip", rate=_rate("APPEALS_FORM_RATE"), method="POST", block=False
)
@require_http_methods(["GET", "POST"])
def feedback(request: HtmxHttpRequest) -> HttpResponse:
    """The feedback form: one POST registers the appeal with its files, or nothing."""
    owner = _visitor(request)
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
    pending = selectors.attachments_pending(token=token, owner=owner)
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
                visitor=owner,
                pending_token=token,
                idempotency_key=token,
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "idempotency_conflict":
                # Somebody else's form, or this one sent before with other content: a
                # fresh form with what was typed, never the appeal behind the old token.
                fresh = FeedbackForm(
                    initial={**request.POST.dict(), "token": uuid.uuid4()}, user=_user(request)
                )
                messages.error(request, error.messages[0])
                return _render_feedback(request, fresh, owner=owner, status=400)
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
    owner = _visitor(request)
    try:
        token = uuid.UUID(request.POST.get("token", ""))
    except ValueError:
        token = None
    if token is None or not _form_issued(request, token):
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
        (attachment,) = actions.attachments_stash(token=token, owner=owner, files=accepted)
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
    appeal = selectors.appeal_for_citizen(
        number=number, user=_user(request), granted=granted_numbers(request)
    )
    if appeal is None:
        raise Http404
    return render(request, "support/appeals/sent.html", {"appeal": appeal})


# --- The appeal page ---------------------------------------------------------------------


def _appeal_or_redirect(request: HtmxHttpRequest, number: str) -> Appeal | HttpResponse:
    if not request.user.is_authenticated and number not in granted_numbers(request):
        # The same for every number, existing or not: nothing leaks.
        return redirect(f"{reverse('appeals:lookup')}?{urlencode({'number': number})}")
    appeal = selectors.appeal_for_citizen(
        number=number, user=_user(request), granted=granted_numbers(request)
    )
    if appeal is None:
        raise Http404
    return appeal


# The citizen's steps that take a text: the form's label, whether files come along, the
# action, and what to say when it is done. Which of them the page offers is the lifecycle's
# answer (`lifecycle.steps_allowed`).
CITIZEN_STEPS = {
    Step.CLARIFY: (
        gettext_lazy("Ваш ответ оператору"),
        True,
        actions.appeal_clarify,
        gettext_lazy("Спасибо, уточнения отправлены оператору."),
    ),
    Step.REVIEW: (
        gettext_lazy("Что в ответе не так"),
        False,
        actions.appeal_request_review,
        gettext_lazy("Запрос на пересмотр принят. Обращение снова в работе."),
    ),
    Step.ESCALATE: (
        gettext_lazy("Почему вы обращаетесь к руководителю"),
        False,
        actions.appeal_escalate,
        gettext_lazy("Обращение передано руководителю."),
    ),
}


def _step_form(step: Step, *args) -> TextForm:
    label, with_files, _action, _done = CITIZEN_STEPS[step]
    return TextForm(*args, label=label, with_files=with_files, prefix=step.value)


def _render_detail(request, appeal: Appeal, *, bound: dict | None = None, status: int = 200):
    bound = bound or {}
    forms = {step.value: bound.get(step) or _step_form(step) for step in CITIZEN_STEPS}
    timeline = selectors.appeal_timeline(appeal=appeal, public_only=True)
    return render(
        request,
        "support/appeals/detail.html",
        {
            "appeal": appeal,
            "timeline": timeline,
            "files": selectors.appeal_files(appeal=appeal),
            "forms": forms,
            "question": selectors.clarification_question(timeline=timeline),
            "allowed": lifecycle.steps_allowed(
                appeal=appeal, actor=lifecycle.citizen(_user(request))
            ),
            "review_window_days": REVIEW_WINDOW_DAYS,
            "open_form": next(iter(bound), ""),
        },
        status=status,
    )


@never_cache
@require_GET
def appeal_detail(request: HtmxHttpRequest, number: str) -> HttpResponse:
    appeal = _appeal_or_redirect(request, number)
    if isinstance(appeal, HttpResponse):
        return appeal
    return _render_detail(request, appeal)


@never_cache
@require_POST
def appeal_resolved(request: HtmxHttpRequest, number: str) -> HttpResponse:
    """ "Да, вопрос решён": no form, one button."""
    appeal = _appeal_or_redirect(request, number)
    if isinstance(appeal, HttpResponse):
        return appeal
    try:
        actions.appeal_confirm_resolved(appeal=appeal, actor=_user(request))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(lifecycle.messages_of(error)))
    else:
        messages.success(request, _("Спасибо! Обращение закрыто."))
    return redirect(appeal.get_absolute_url())


@never_cache
@require_POST
def appeal_step(request: HtmxHttpRequest, number: str, step: str) -> HttpResponse:
    """The citizen's steps with a text: clarify, ask for a review, escalate."""
    appeal = _appeal_or_redirect(request, number)
    if isinstance(appeal, HttpResponse):
        return appeal
    step = Step(step)
    _label, _with_files, action, done = CITIZEN_STEPS[step]
    refusal = lifecycle.refusal(step, appeal=appeal, actor=lifecycle.citizen(_user(request)))
    if refusal is not None:
        # A step the page did not offer (or a stale page): say why, change nothing.
        messages.error(request, " ".join(lifecycle.messages_of(refusal)))
        return redirect(appeal.get_absolute_url())
    form = _step_form(step, request.POST, request.FILES)
    if form.is_valid():
        extra = {"files": form.accepted_files} if "files" in form.fields else {}
        try:
            action(appeal=appeal, actor=_user(request), text=form.cleaned_data["text"], **extra)
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied as denied:
            form.add_error(None, lifecycle.messages_of(denied))
        else:
            messages.success(request, done)
            return redirect(appeal.get_absolute_url())
    appeal.refresh_from_db()
    return _render_detail(request, appeal, bound={step: form}, status=400)


@require_GET
def attachment_download(request: HtmxHttpRequest, number: str, key: str) -> FileResponse:
    """Only the owner (or whoever proved number + e-mail) and staff; 404 for everyone else."""
    attachment = selectors.attachment_for(
        number=number, key=key, user=_user(request), granted=granted_numbers(request)
    )
    if attachment is None:
        raise Http404
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


@never_cache
@require_GET
def my_appeals(request: HtmxHttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"{reverse('login')}?{urlencode({'next': request.path})}")
    return render(
        request,
        "support/appeals/mine.html",
        {"appeals": selectors.appeals_of(user=request.user)},
    )
