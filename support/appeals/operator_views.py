"""The operator workspace: the queue by deadline and one appeal with its actions."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from portal.http import HtmxHttpRequest, found_or_404, step_or_404
from portal.models import User
from support.appeals import actions, lifecycle, selectors
from support.appeals.forms import AssignForm, QueueFilterForm, TextForm
from support.appeals.lifecycle import Step
from support.appeals.models import Appeal
from support.centre import people
from support.centre.access import staff_only
from support.centre.people import user_is_supervisor
from support.centre.refusals import refusal_tell


@staff_only
@never_cache
@require_GET
def queue(request: HtmxHttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET)
    filters = form.filters()
    today = timezone.localdate()
    page = selectors.operator_queue(
        user=request.user, filters=filters, page=form.page_number(), today=today
    )
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "today": today,
        "counts": selectors.queue_counts(user=request.user, today=today),
        "page_query": params.urlencode(),
        "is_supervisor": user_is_supervisor(request.user),
    }
    template = "support/appeals/operator_queue.html"
    if request.htmx and request.htmx.target == "appeal-queue":
        template += "#queue"
    return render(request, template, context)


def _text_form(label, *, with_files: bool = False, required: bool = True):
    def make(data=None, files=None, *, prefix: str) -> TextForm:
        form = TextForm(data, files, label=label, with_files=with_files, prefix=prefix)
        form.fields["text"].required = required
        return form

    return make


def _assign_form(data=None, files=None, *, prefix: str) -> AssignForm:
    return AssignForm(data, prefix=prefix)


@dataclass(frozen=True)
class StaffStep:
    """How the workspace offers one lifecycle step: its form, its action, its message."""

    form: Callable[..., Form] | None
    run: Callable[[Appeal, User, dict], object]
    done: Promise
    then_queue: bool = False  # after it the appeal leaves this person's hands


def _by_staff(action: Callable[..., object]) -> Callable[[Appeal, User, dict], object]:
    """A step whose form's fields (if any; the files as the form accepted them) are the
    action's arguments of the same names."""
    return lambda appeal, user, data: action(appeal=appeal, actor=user, **data)


STAFF_STEPS: dict[Step, StaffStep] = {
    Step.TAKE: StaffStep(
        None,
        _by_staff(actions.appeal_take),
        gettext_lazy("Обращение взято в работу."),
    ),
    Step.ASSIGN: StaffStep(
        _assign_form,
        _by_staff(actions.appeal_assign),
        gettext_lazy("Обращение передано."),
    ),
    Step.ANSWER: StaffStep(
        _text_form(gettext_lazy("Ответ заявителю"), with_files=True),
        _by_staff(actions.appeal_answer),
        gettext_lazy("Ответ отправлен заявителю."),
    ),
    Step.CLARIFICATION: StaffStep(
        _text_form(gettext_lazy("Что нужно уточнить у заявителя")),
        _by_staff(actions.appeal_request_clarification),
        gettext_lazy("Запрос уточнений отправлен заявителю."),
    ),
    Step.EXTEND: StaffStep(
        _text_form(gettext_lazy("Почему нужен ответ другого ведомства")),
        _by_staff(actions.appeal_extend),
        gettext_lazy("Срок продлён."),
    ),
    Step.CLOSE: StaffStep(
        _text_form(gettext_lazy("Причина закрытия"), required=False),
        _by_staff(actions.appeal_close),
        gettext_lazy("Обращение закрыто."),
        then_queue=True,
    ),
    Step.COMMENT: StaffStep(
        _text_form(gettext_lazy("Комментарий для коллег (заявитель не увидит)")),
        _by_staff(actions.appeal_comment),
        gettext_lazy("Комментарий сохранён."),
    ),
}


def _forms(bound: dict | None = None) -> dict:
    forms = {
        step.value: spec.form(prefix=step.value) for step, spec in STAFF_STEPS.items() if spec.form
    }
    forms.update(bound or {})
    return forms


def _render(request, appeal: Appeal, *, bound: dict | None = None, status: int = 200):
    allowed = lifecycle.steps_allowed(appeal=appeal, actor=people.staff(request.user))
    return render(
        request,
        "support/appeals/operator_detail.html",
        {
            "appeal": appeal,
            "timeline": selectors.appeal_timeline(appeal=appeal, public_only=False),
            "files": selectors.appeal_files(appeal=appeal),
            "forms": _forms(bound),
            "allowed": allowed,
            # Their own appeal in work: the answer is what they came for.
            "answer_first": Step.TAKE not in allowed and appeal.operator_id == request.user.pk,
            "open_form": next(iter(bound or {}), ""),
        },
        status=status,
    )


def _appeal(request: HtmxHttpRequest, number: str) -> Appeal:
    return found_or_404(selectors.appeal_for_staff(number=number, user=request.user))


@staff_only
@never_cache
@require_GET
def detail(request: HtmxHttpRequest, number: str) -> HttpResponse:
    return _render(request, _appeal(request, number))


@staff_only
@require_POST
def act(request: HtmxHttpRequest, number: str, action: str) -> HttpResponse:
    """One lifecycle step: parse its form, call its action, back to the appeal."""
    appeal = _appeal(request, number)
    step, spec = step_or_404(STAFF_STEPS, action)
    refusal = lifecycle.refusal(step, appeal=appeal, actor=people.staff(request.user))
    if refusal is not None:
        # A button that was not offered (or a stale page): say why, change nothing.
        refusal_tell(request, refusal)
        return redirect(appeal.get_operator_url())
    form = spec.form(request.POST, request.FILES, prefix=step.value) if spec.form else None
    if form is not None and not form.is_valid():
        appeal.refresh_from_db()
        return _render(request, appeal, bound={step.value: form}, status=400)
    data = form.cleaned_data if form is not None else {}
    try:
        spec.run(appeal, request.user, data)
    except (PermissionDenied, ValidationError) as error:
        if form is None or isinstance(error, PermissionDenied):
            # The state changed under us (another operator was quicker).
            refusal_tell(request, error)
            return redirect(appeal.get_operator_url())
        form.refusal_add(error)
        appeal.refresh_from_db()
        return _render(request, appeal, bound={step.value: form}, status=400)
    messages.success(request, spec.done)
    if spec.then_queue or not selectors.appeal_visible_to_staff(appeal=appeal, user=request.user):
        return redirect("appeals:operator-queue")
    return redirect(appeal.get_operator_url())
