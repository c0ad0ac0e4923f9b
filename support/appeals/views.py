"""Citizens' pages of an appeal: the appeal with its steps, its files, the lookup, the list."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.http import HtmxHttpRequest, found_or_404, item_view, private_download
from portal.ratelimits import limited_page, ratelimit, setting_rate
from support.appeals import actions, lifecycle, selectors
from support.appeals.forms import LookupForm, TextForm
from support.appeals.lifecycle import Step
from support.appeals.models import Appeal
from support.appeals.rules import REVIEW_WINDOW_DAYS
from support.appeals.session import (
    grant,
    granted_numbers,
    signed_in,
)
from support.centre import people
from support.centre.refusals import refusal_tell, step_tell

LOOKUP_FAILED = gettext_lazy(
    "Обращение не найдено. Проверьте номер и адрес электронной почты или телефон."
)


# --- The appeal page ---------------------------------------------------------------------


def _appeal_or_redirect(request: HtmxHttpRequest, number: str) -> Appeal | HttpResponse:
    if not request.user.is_authenticated and number not in granted_numbers(request):
        # The same for every number, existing or not: nothing leaks.
        return redirect(f"{reverse('appeals:lookup')}?{urlencode({'number': number})}")
    appeal = found_or_404(
        selectors.appeal_for_citizen(
            number=number, user=signed_in(request), granted=granted_numbers(request)
        )
    )
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
    Step.ADD: (
        gettext_lazy("Что вы хотите добавить"),
        True,
        actions.appeal_add,
        gettext_lazy("Спасибо, дополнение передано оператору."),
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
                appeal=appeal, actor=people.citizen(signed_in(request))
            ),
            "review_window_days": REVIEW_WINDOW_DAYS,
            "open_form": next(iter(bound), ""),
        },
        status=status,
    )


@require_GET
@item_view(_appeal_or_redirect)
def appeal_detail(request: HtmxHttpRequest, appeal: Appeal) -> HttpResponse:
    return _render_detail(request, appeal)


@require_POST
@item_view(_appeal_or_redirect)
def appeal_resolved(request: HtmxHttpRequest, appeal: Appeal) -> HttpResponse:
    """ "Да, вопрос решён": no form, one button."""
    step_tell(
        request,
        lambda: actions.appeal_confirm_resolved(appeal=appeal, actor=signed_in(request)),
        done=_("Спасибо! Обращение закрыто."),
    )
    return redirect(appeal.get_absolute_url())


@require_POST
@item_view(_appeal_or_redirect)
def appeal_step(request: HtmxHttpRequest, appeal: Appeal, step: str) -> HttpResponse:
    """The citizen's steps with a text: clarify, add, ask for a review, escalate."""
    step = Step(step)
    _label, _with_files, action, done = CITIZEN_STEPS[step]
    refusal = lifecycle.refusal(step, appeal=appeal, actor=people.citizen(signed_in(request)))
    if refusal is not None:
        # A step the page did not offer (or a stale page): say why, change nothing.
        refusal_tell(request, refusal)
        return redirect(appeal.get_absolute_url())
    form = _step_form(step, request.POST, request.FILES)
    if form.is_valid():
        extra = {"files": form.accepted_files} if "files" in form.fields else {}
        try:
            action(appeal=appeal, actor=signed_in(request), text=form.cleaned_data["text"], **extra)
        except (ValidationError, PermissionDenied) as error:
            form.refusal_add(error)
        else:
            messages.success(request, done)
            return redirect(appeal.get_absolute_url())
    appeal.refresh_from_db()
    return _render_detail(request, appeal, bound={step: form}, status=400)


@require_GET
def attachment_download(request: HtmxHttpRequest, number: str, key: str) -> FileResponse:
    """Only the owner (or whoever proved number + e-mail) and staff; 404 for everyone else."""
    attachment = found_or_404(
        selectors.attachment_for(
            number=number, key=key, user=signed_in(request), granted=granted_numbers(request)
        )
    )
    return private_download(
        attachment.file.open("rb"),
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


# Both the lookup and the escalation form (support.views) answer "does this number go
# with this e-mail": one bucket, so a guesser gains no attempts by alternating pages.
number_guesses_limited = ratelimit(
    group="appeals-lookup", key="ip", rate=setting_rate("APPEALS_LOOKUP_RATE"), method="POST"
)


def number_asked(request: HtmxHttpRequest) -> str:
    """The appeal number a link brings (`?number=`), to fill the form in with."""
    return request.GET.get("number", "")[:20]


@number_guesses_limited
@require_http_methods(["GET", "POST"])
def lookup(request: HtmxHttpRequest) -> HttpResponse:
    """Number + e-mail open the appeal without an account; the same answer for any mistake."""
    if request.method == "GET":
        form = LookupForm(initial={"number": number_asked(request)})
        return render(request, "support/appeals/lookup.html", {"form": form})
    if getattr(request, "limited", False):
        return limited_page(request)
    form = LookupForm(request.POST)
    if form.is_valid():
        appeal = selectors.appeal_lookup(
            number=form.cleaned_data["number"],
            email=form.cleaned_data["email"],
            phone=form.cleaned_data["phone"],
        )
        if appeal is not None:
            grant(request, appeal.number)
            return redirect(appeal.get_absolute_url())
        form.add_error(None, LOOKUP_FAILED)
    return render(request, "support/appeals/lookup.html", {"form": form}, status=400)


@never_cache
@require_GET
def my_appeals(request: HtmxHttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(
        request,
        "support/appeals/mine.html",
        {"appeals": selectors.appeals_of(user=request.user)},
    )
