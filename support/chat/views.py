"""The citizen's chat page, its steps posted as forms, transcripts and files.

The page works without JavaScript (every button is a form); the script in static/js/chat.js
opens the same page's `chat` partial in a panel and talks over the socket instead.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from portal.http import HtmxHttpRequest
from support.centre.refusals import messages_of
from support.chat import actions, lifecycle, selectors
from support.chat.forms import LeaveMessageForm, MessageForm, RateForm
from support.chat.lifecycle import Step
from support.chat.models import Conversation
from support.chat.rules import PAGE_RULES
from support.contacts.selectors import contact_channels_status

PRIVATE = "private, no-store"


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = PRIVATE
    return response


def _context(request: HtmxHttpRequest, conversation: Conversation | None, **forms) -> dict:
    user = request.user
    allowed = (
        lifecycle.steps_allowed(conversation=conversation, actor=lifecycle.citizen(user))
        if conversation is not None
        else frozenset()
    )
    messages_ = (
        selectors.messages_latest(conversation_id=conversation.pk, staff=False)
        if conversation is not None
        else []
    )
    available = selectors.availability()
    return {
        "conversation": conversation,
        "chat_messages": [selectors.message_payload(m) for m in messages_],
        "last_seq": messages_[-1].seq if messages_ else 0,
        "allowed": allowed,
        "availability": available,
        # Outside hours or with nobody online the hand-off turns into "Оставить сообщение".
        "offer_leave": "leave_message" in allowed and not available.available,
        "place": selectors.queue_place(conversation=conversation) if conversation else None,
        "message_form": forms.get("message_form") or MessageForm(),
        "rate_form": forms.get("rate_form") or RateForm(),
        "leave_form": forms.get("leave_form")
        or LeaveMessageForm(initial={"email": getattr(user, "email", "")}),
        "history": list(selectors.conversations_of(user=user)[:10]),
        "chat_rules": PAGE_RULES,
        "channels": [] if user.is_authenticated else contact_channels_status(),
    }


def _render(request, conversation, *, status: int = 200, **forms) -> HttpResponse:
    template = "support/chat/page.html"
    if request.htmx:
        template += "#chat"
    return _private(
        render(request, template, _context(request, conversation, **forms), status=status)
    )


@never_cache
@require_GET
def page(request: HtmxHttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        # Not signed in: how to sign in, and the other channels with their hours.
        template = "support/chat/page.html#chat" if request.htmx else "support/chat/page.html"
        return _private(
            render(
                request,
                template,
                {"channels": contact_channels_status(), "conversation": None, "anonymous": True},
            )
        )
    return _render(request, selectors.conversation_latest_of(user=request.user))


def _signed_in(view):
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('login')}?next={reverse('chat:page')}")
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _back(request: HtmxHttpRequest) -> HttpResponse:
    if request.htmx:
        return _render(request, selectors.conversation_latest_of(user=request.user))
    return redirect(f"{reverse('chat:page')}#chat-log")


@_signed_in
@require_POST
def start(request: HtmxHttpRequest) -> HttpResponse:
    actions.conversation_start(user=request.user, language=get_language() or "ru")
    return _back(request)


def _own(request: HtmxHttpRequest, pk: int) -> Conversation:
    conversation = selectors.conversation_of_citizen(user=request.user, pk=pk)
    if conversation is None:
        raise Http404
    return conversation


@_signed_in
@require_POST
def send(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A message (and a file) without the socket: the same action, the same client id rule."""
    conversation = _own(request, pk)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.message_post(
                conversation_id=conversation.pk,
                actor=lifecycle.citizen(request.user),
                text=form.cleaned_data["text"],
                client_id=form.cleaned_data["client_id"],
                file=form.checked,
            )
        except ValidationError as error:
            form.add_error("text" if error.code != "empty" else None, error)
        except PermissionDenied as error:
            form.add_error(None, " ".join(messages_of(error)))
    if form.errors:
        conversation.refresh_from_db()
        return _render(request, conversation, status=400, message_form=form)
    return _back(request)


@dataclass(frozen=True)
class CitizenStep:
    form: Callable[..., Form] | None
    run: Callable[[Conversation, object, dict], object]
    done: Promise


STEPS: dict[Step, CitizenStep] = {
    Step.HAND_OFF: CitizenStep(
        None,
        lambda c, user, data: actions.conversation_hand_off(conversation_id=c.pk, user=user),
        _("Вы в очереди к оператору."),
    ),
    Step.RETRY: CitizenStep(
        None,
        lambda c, user, data: actions.conversation_retry(conversation_id=c.pk, user=user),
        _("Запрос повторён."),
    ),
    Step.END: CitizenStep(
        None,
        lambda c, user, data: actions.conversation_end(conversation_id=c.pk, user=user),
        _("Чат завершён."),
    ),
    Step.RATE: CitizenStep(
        RateForm,
        lambda c, user, data: actions.conversation_rate(
            conversation_id=c.pk, user=user, rating=data["rating"], comment=data["comment"]
        ),
        _("Спасибо за оценку!"),
    ),
    Step.LEAVE_MESSAGE: CitizenStep(
        LeaveMessageForm,
        lambda c, user, data: actions.conversation_leave_message(
            conversation_id=c.pk,
            user=user,
            topic=data["topic"],
            email=data["email"],
            consent=data["consent"],
        ),
        _("Сообщение принято."),
    ),
}
FORM_NAMES = {Step.RATE: "rate_form", Step.LEAVE_MESSAGE: "leave_form"}


@_signed_in
@require_POST
def step(request: HtmxHttpRequest, pk: int, action: str) -> HttpResponse:
    conversation = _own(request, pk)
    try:
        which = Step(action)
        spec = STEPS[which]
    except (ValueError, KeyError):
        raise Http404 from None
    form = spec.form(request.POST) if spec.form else None
    if form is not None and not form.is_valid():
        return _render(request, conversation, status=400, **{FORM_NAMES[which]: form})
    try:
        spec.run(conversation, request.user, form.cleaned_data if form else {})
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, " ".join(messages_of(error)))
        return _back(request)
    messages.success(request, spec.done)
    return _back(request)


@never_cache
@require_GET
def transcript(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The conversation as text: for its citizen, and for staff who may see it."""
    if not request.user.is_authenticated:
        raise Http404
    conversation = Conversation.objects.filter(pk=pk).first()
    side = (
        selectors.may_read(user=request.user, conversation=conversation) if conversation else None
    )
    if side is None:
        raise Http404
    text = selectors.transcript_text(conversation=conversation, staff=side == "staff")
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="chat-{conversation.pk}.txt"'
    response["X-Content-Type-Options"] = "nosniff"
    return _private(response)


@require_GET
def file(request: HtmxHttpRequest, key: str) -> FileResponse:
    """A file sent in a chat: only its citizen and staff who may see the conversation."""
    message = selectors.message_file_for(user=request.user, key=key)
    if message is None:
        raise Http404
    response = FileResponse(
        message.file.open("rb"),
        as_attachment=True,
        filename=message.file_name,
        content_type=message.file_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = PRIVATE
    return response
