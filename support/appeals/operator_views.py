"""The operator workspace: the queue by deadline and one appeal with its actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from portal.http import HtmxHttpRequest
from support.appeals import actions, selectors
from support.appeals.forms import AssignForm, QueueFilterForm, TextForm
from support.appeals.models import Appeal
from support.appeals.roles import WORK, user_is_supervisor


def staff_only(view):
    return login_required(permission_required(WORK, raise_exception=True)(view))


@staff_only
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


STAFF_FORMS = {
    "answer": (gettext_lazy("Ответ заявителю"), True),
    "clarification": (gettext_lazy("Что нужно уточнить у заявителя"), False),
    "extend": (gettext_lazy("Почему нужен ответ другого ведомства"), False),
    "close": (gettext_lazy("Причина закрытия"), False),
    "comment": (gettext_lazy("Комментарий для коллег (заявитель не увидит)"), False),
}


def _forms(bound: dict | None = None) -> dict:
    forms = {
        name: TextForm(label=label, with_files=with_files, prefix=name)
        for name, (label, with_files) in STAFF_FORMS.items()
    }
    forms["close"].fields["text"].required = False
    forms["assign"] = AssignForm(prefix="assign")
    forms.update(bound or {})
    return forms


def _render(request, appeal: Appeal, *, bound: dict | None = None, status: int = 200):
    today = timezone.localdate()
    return render(
        request,
        "support/appeals/operator_detail.html",
        {
            "appeal": appeal,
            "timeline": selectors.appeal_timeline(appeal=appeal, public_only=False),
            "files": selectors.appeal_files(appeal=appeal),
            "forms": _forms(bound),
            "open_form": next(iter(bound or {}), ""),
            "is_supervisor": user_is_supervisor(request.user),
            "is_overdue": appeal.is_overdue_on(today),
            "mine": appeal.operator_id == request.user.pk,
        },
        status=status,
    )


@staff_only
@require_GET
def detail(request: HtmxHttpRequest, number: str) -> HttpResponse:
    appeal = selectors.appeal_for_staff(number=number, user=request.user)
    return _render(request, appeal)


DONE = {
    "take": gettext_lazy("Обращение взято в работу."),
    "assign": gettext_lazy("Обращение передано."),
    "answer": gettext_lazy("Ответ отправлен заявителю."),
    "clarification": gettext_lazy("Запрос уточнений отправлен заявителю."),
    "extend": gettext_lazy("Срок продлён."),
    "close": gettext_lazy("Обращение закрыто."),
    "comment": gettext_lazy("Комментарий сохранён."),
}


@staff_only
@require_POST
def act(request: HtmxHttpRequest, number: str, action: str) -> HttpResponse:
    """One operator action: parse its form, call its action, back to the appeal."""
    appeal = selectors.appeal_for_staff(number=number, user=request.user)
    if action not in DONE:
        return redirect(appeal.get_operator_url())
    form = None
    try:
        if action == "take":
            actions.appeal_take(appeal=appeal, actor=request.user)
        elif action == "assign":
            form = AssignForm(request.POST, prefix="assign")
            if not form.is_valid():
                raise _Invalid
            actions.appeal_assign(
                appeal=appeal, actor=request.user, operator=form.cleaned_data["operator"]
            )
        else:
            label, with_files = STAFF_FORMS[action]
            form = TextForm(
                request.POST, request.FILES, label=label, with_files=with_files, prefix=action
            )
            if action == "close":
                form.fields["text"].required = False
            if not form.is_valid():
                raise _Invalid
            text = form.cleaned_data["text"]
            if action == "answer":
                actions.appeal_answer(
                    appeal=appeal, actor=request.user, text=text, files=form.accepted_files
                )
            elif action == "clarification":
                actions.appeal_request_clarification(appeal=appeal, actor=request.user, text=text)
            elif action == "extend":
                actions.appeal_extend(appeal=appeal, actor=request.user, reason=text)
            elif action == "close":
                actions.appeal_close(appeal=appeal, actor=request.user, reason=text)
            elif action == "comment":
                actions.appeal_comment(appeal=appeal, actor=request.user, text=text)
    except _Invalid:
        pass
    except ValidationError as error:
        if form is None:
            messages.error(request, " ".join(error.messages))
            return redirect(appeal.get_operator_url())
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(
                    "text" if field == "reason" else (field if field in form.fields else None),
                    errors,
                )
        else:
            form.add_error(None, error)
    except PermissionDenied as denied:
        messages.error(request, str(denied) or _("Это действие вам недоступно."))
        return redirect(appeal.get_operator_url())
    else:
        messages.success(request, DONE[action])
        if action == "close" or (action == "assign" and not user_is_supervisor(request.user)):
            return redirect("appeals:operator-queue")
        return redirect(appeal.get_operator_url())
    appeal.refresh_from_db()
    return _render(request, appeal, bound={action: form}, status=400)


class _Invalid(Exception):
    """The form has errors to show next to its fields."""
