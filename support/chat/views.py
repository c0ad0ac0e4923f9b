"""The citizen's chat page, its steps posted as forms, transcripts and files.

The page works without JavaScript (every button is a form); the script in static/js/chat.js
opens the same page's `chat` partial in a panel and talks over the socket instead.
"""

import io
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

from portal.channels import ChannelKind
from portal.http import HtmxHttpRequest, client_ip, private_download, step_or_404
from portal.ratelimits import limit_count, limited_page, setting_rate
from portal.visitors import request_visitor
from support.centre.refusals import messages_of, refusal_tell
from support.chat import actions, lifecycle, selectors
from support.chat.forms import HandOffForm, LeaveMessageForm, MessageForm, RateForm
from support.chat.lifecycle import Step
from support.chat.models import Conversation
from support.chat.rules import PAGE_RULES
from support.contacts.selectors import contact_channels_status

PRIVATE = "private, no-store"


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = PRIVATE
    return response


def _visitor(request: HtmxHttpRequest, *, start_session: bool = False) -> str:
    """The browser session's key for a visitor without an account ("" for none yet)."""
    if request.user.is_authenticated:
        return ""
    return request_visitor(request, start_session=start_session)


def _citizen(request: HtmxHttpRequest) -> lifecycle.Actor:
    return lifecycle.citizen(request.user, _visitor(request))


def _latest(request: HtmxHttpRequest) -> Conversation | None:
    return selectors.conversation_latest_of(user=request.user, visitor=_visitor(request))


def _other_channels() -> list:
    """The contact channels but this chat, with their hours."""
    return [c for c in contact_channels_status() if c.channel.kind != ChannelKind.CHAT]


def _context(request: HtmxHttpRequest, conversation: Conversation | None, **forms) -> dict:
    user = request.user
    allowed = (
        lifecycle.steps_allowed(conversation=conversation, actor=_citizen(request))
        if conversation is not None
        else frozenset()
    )
    messages_ = (
        selectors.messages_latest(conversation_id=conversation.pk, staff=False)
        if conversation is not None
        else []
    )
    available = selectors.availability()
    visitor = not user.is_authenticated
    # A visitor's contacts given once (the hand-off) fill the message left later.
    contacts = (
        {
            "name": conversation.contact_name,
            "email": conversation.contact_email,
            "phone": conversation.contact_phone,
        }
        if conversation is not None and visitor
        else {"email": getattr(user, "email", "")}
    )
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
        or LeaveMessageForm(initial=contacts, visitor=visitor),
        "hand_off_form": forms.get("hand_off_form") or (HandOffForm() if visitor else None),
        "history": list(selectors.conversations_of(user=user, visitor=_visitor(request))[:10]),
        "chat_rules": PAGE_RULES,
        # A visitor sees the other channels too: an operator answers them after sign-in.
        "visitor": visitor,
        "channels": [] if user.is_authenticated else _other_channels(),
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
    """Everyone's chat: a visitor without an account talks to the bot in their session."""
    return _render(request, _latest(request))


def _back(request: HtmxHttpRequest) -> HttpResponse:
    if request.htmx:
        return _render(request, _latest(request))
    return redirect(f"{reverse('chat:page')}#chat-log")


@require_POST
def start(request: HtmxHttpRequest) -> HttpResponse:
    """A new chat; visitors' are counted per client address (every new cookie is a new
    visitor, so the address is what bounds a script)."""
    visitor = _visitor(request, start_session=True)
    if visitor and selectors.conversation_open_of(user=None, visitor=visitor) is None:
        wait = limit_count(
            request, group="chat-visitor-start", rate=setting_rate("CHAT_VISITOR_START_RATE")
        )
        if wait is not None:
            return limited_page(request, wait)
    actions.conversation_start(user=request.user, visitor=visitor, language=get_language() or "ru")
    return _back(request)


def _own(request: HtmxHttpRequest, pk: int) -> Conversation:
    conversation = selectors.conversation_of_citizen(
        user=request.user, visitor=_visitor(request), pk=pk
    )
    if conversation is None:
        raise Http404
    return conversation


@require_POST
def send(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A message (and a file) without the socket: the same action, the same client id rule."""
    conversation = _own(request, pk)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.message_post(
                conversation_id=conversation.pk,
                actor=_citizen(request),
                text=form.cleaned_data["text"],
                client_id=form.cleaned_data["client_id"],
                file=form.checked,
                address=client_ip(request),
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
    # The step's form over the posted data, for a citizen or a visitor (the bool), or None
    # for a bare button.
    form: Callable[[object, bool], Form | None]
    run: Callable[[Conversation, lifecycle.Actor, dict], object]
    done: Promise
    form_name: str = ""


def _by_citizen(action: Callable[..., object]) -> Callable[[Conversation, object, dict], object]:
    """A step taken by the page's citizen or visitor: the form's fields (if any) are the
    action's arguments of the same names."""
    return lambda c, who, data: action(
        conversation_id=c.pk, user=who.user, visitor=who.visitor, **data
    )


def _no_form(data, visitor: bool) -> None:
    return None


STEPS: dict[Step, CitizenStep] = {
    Step.HAND_OFF: CitizenStep(
        # A visitor says who they are and where the answer reaches them.
        lambda data, visitor: HandOffForm(data) if visitor else None,
        _by_citizen(actions.conversation_hand_off),
        _("Вы в очереди к оператору."),
        "hand_off_form",
    ),
    Step.RETRY: CitizenStep(
        _no_form, _by_citizen(actions.conversation_retry), _("Запрос повторён.")
    ),
    Step.END: CitizenStep(_no_form, _by_citizen(actions.conversation_end), _("Чат завершён.")),
    Step.RATE: CitizenStep(
        lambda data, visitor: RateForm(data),
        _by_citizen(actions.conversation_rate),
        _("Спасибо за оценку!"),
        "rate_form",
    ),
    Step.LEAVE_MESSAGE: CitizenStep(
        lambda data, visitor: LeaveMessageForm(data, visitor=visitor),
        _by_citizen(actions.conversation_leave_message),
        _("Сообщение принято."),
        "leave_form",
    ),
}


@require_POST
def step(request: HtmxHttpRequest, pk: int, action: str) -> HttpResponse:
    conversation = _own(request, pk)
    _step, spec = step_or_404(STEPS, action)
    form = spec.form(request.POST, not request.user.is_authenticated)
    if form is not None:
        if not form.is_valid():
            return _render(request, conversation, status=400, **{spec.form_name: form})
    try:
        spec.run(conversation, _citizen(request), form.cleaned_data if form else {})
    except ValidationError as error:
        if form is not None and hasattr(error, "error_dict"):
            form.refusal_add(error)
            conversation.refresh_from_db()
            return _render(request, conversation, status=400, **{spec.form_name: form})
        refusal_tell(request, error)
        return _back(request)
    except PermissionDenied as error:
        refusal_tell(request, error)
        return _back(request)
    messages.success(request, spec.done)
    return _back(request)


@never_cache
@require_GET
def transcript(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The conversation as text: for its citizen, and for staff who may see it."""
    conversation = Conversation.objects.filter(pk=pk).first()
    side = (
        selectors.may_read(user=request.user, visitor=_visitor(request), conversation=conversation)
        if conversation
        else None
    )
    if side is None:
        raise Http404
    text = selectors.transcript_text(conversation=conversation, staff=side == "staff")
    return private_download(
        io.BytesIO(text.encode()),
        filename=f"chat-{conversation.pk}.txt",
        content_type="text/plain; charset=utf-8",
    )


@require_GET
def file(request: HtmxHttpRequest, key: str) -> FileResponse:
    """A file sent in a chat: only its citizen and staff who may see the conversation."""
    message = selectors.message_file_for(user=request.user, visitor=_visitor(request), key=key)
    if message is None:
        raise Http404
    return private_download(
        message.file.open("rb"), filename=message.file_name, content_type=message.file_type
    )
