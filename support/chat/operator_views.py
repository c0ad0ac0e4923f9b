"""The operator's home (/support/operator/): waiting chats beside the appeals queue, and one
chat with its transcript, canned answers, transfer and close."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from portal.http import HtmxHttpRequest, step_or_404
from support.appeals.selectors import queue_counts
from support.centre.access import staff_only
from support.centre.refusals import refusal_tell
from support.chat import actions, lifecycle, selectors
from support.chat.forms import MessageForm, ResolutionForm, TransferForm
from support.chat.lifecycle import Step
from support.chat.models import Conversation
from support.chat.rules import PAGE_RULES


@staff_only
@never_cache
@require_GET
def home(request: HtmxHttpRequest) -> HttpResponse:
    context = {
        "rows": selectors.queue_rows(),
        "held": list(selectors.conversations_held(user=request.user)),
        "counts": queue_counts(user=request.user),
        "online": selectors.operators_online(),
        "chat_rules": PAGE_RULES,
    }
    template = "support/chat/operator_home.html"
    if request.htmx:
        template += "#chats"
    return render(request, template, context)


def _conversation(request: HtmxHttpRequest, pk: int) -> Conversation:
    conversation = selectors.conversation_for_staff(user=request.user, pk=pk)
    if conversation is None:
        raise Http404
    return conversation


def _render(request, conversation: Conversation, *, status: int = 200, **forms) -> HttpResponse:
    actor = lifecycle.staff(request.user)
    messages_ = selectors.messages_latest(conversation_id=conversation.pk, staff=True)
    return render(
        request,
        "support/chat/operator_chat.html",
        {
            "conversation": conversation,
            "chat_messages": [selectors.message_payload(m, staff=True) for m in messages_],
            "last_seq": messages_[-1].seq if messages_ else 0,
            "allowed": lifecycle.steps_allowed(conversation=conversation, actor=actor),
            "message_form": forms.get("message_form") or MessageForm(),
            "resolution_form": forms.get("resolution_form") or ResolutionForm(),
            "transfer_form": forms.get("transfer_form") or TransferForm(user=request.user),
            "canned": list(selectors.canned_answers()),
            "open_appeals": selectors.citizen_open_appeals(user=conversation.user),
            "chat_rules": PAGE_RULES,
        },
        status=status,
    )


@staff_only
@never_cache
@require_GET
def chat(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    return _render(request, _conversation(request, pk))


@dataclass(frozen=True)
class StaffStep:
    # The step's form over the request (None: a bare button), and its name on the page.
    form: Callable[[HtmxHttpRequest], Form] | None
    form_name: str
    # The action, given the conversation, the operator and the valid form (or None).
    run: Callable[[Conversation, lifecycle.Actor, Form | None], object]
    done: Promise | None  # what to say once it is done, if anything
    then_home: bool = False  # the chat is no longer the operator's: back to the list


def _by_operator(action: Callable[..., object]) -> Callable[..., object]:
    """A step whose form's fields (if any) are the action's arguments of the same names."""
    return lambda c, actor, form: action(
        conversation_id=c.pk, actor=actor, **(form.cleaned_data if form else {})
    )


STAFF_STEPS: dict[Step, StaffStep] = {
    Step.TAKE: StaffStep(
        None,
        "",
        _by_operator(actions.conversation_take),
        _("Чат ваш: гражданин видит, что вы подключились."),
    ),
    Step.ANSWER: StaffStep(
        lambda request: MessageForm(request.POST, request.FILES),
        "message_form",
        # The file as the form checked it, not as it came.
        lambda c, actor, form: actions.message_post(
            conversation_id=c.pk,
            actor=actor,
            text=form.cleaned_data["text"],
            client_id=form.cleaned_data["client_id"],
            file=form.checked,
        ),
        None,
    ),
    Step.TRANSFER: StaffStep(
        lambda request: TransferForm(request.POST, user=request.user),
        "transfer_form",
        _by_operator(actions.conversation_transfer),
        _("Чат передан."),
        then_home=True,
    ),
    Step.CLOSE: StaffStep(
        lambda request: ResolutionForm(request.POST),
        "resolution_form",
        _by_operator(actions.conversation_close),
        _("Чат закрыт, итог отправлен гражданину."),
        then_home=True,
    ),
}


@staff_only
@require_POST
def act(request: HtmxHttpRequest, pk: int, action: str) -> HttpResponse:
    conversation = _conversation(request, pk)
    _step, spec = step_or_404(STAFF_STEPS, action)
    form = spec.form(request) if spec.form else None
    if form is not None and not form.is_valid():
        return _render(request, conversation, status=400, **{spec.form_name: form})
    try:
        spec.run(conversation, lifecycle.staff(request.user), form)
    except (PermissionDenied, ValidationError) as error:
        refusal_tell(request, error)
    else:
        if spec.done:
            messages.success(request, spec.done)
        if spec.then_home:
            return redirect("chat:operator-home")
    url = reverse("chat:operator-chat", kwargs={"pk": conversation.pk})
    return redirect(f"{url}#chat-log")
