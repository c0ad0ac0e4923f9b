"""Reading conversations: who may see which, the queue, availability, transcripts."""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.channels import ChannelKind
from portal.models import User
from support.appeals.models import OPEN_STATUSES as APPEAL_OPEN
from support.appeals.models import Appeal
from support.centre.owners import owner_is, owner_q
from support.centre.people import staff_assignable
from support.chat import access
from support.chat.models import (
    OPEN_STATUSES,
    CannedAnswer,
    Conversation,
    Message,
    Presence,
    SenderKind,
    Status,
)
from support.chat.rules import (
    CATCH_UP_PAGE,
    LOG_SHOWN,
    MINUTES_PER_CONVERSATION,
    PRESENCE_STALE,
)
from support.contacts.selectors import ChannelStatus, contact_channels_status


def owns(*, user: User | AnonymousUser | None, visitor: str, conversation: Conversation) -> bool:
    """Whether this person is the conversation's citizen (`support.centre.owners`)."""
    return owner_is(user=user, visitor=visitor, item=conversation)


def conversations_of(
    *, user: User | AnonymousUser | None, visitor: str = ""
) -> QuerySet[Conversation]:
    """The citizen's (or the visitor's) chat history, newest first."""
    owned = owner_q(user=user, visitor=visitor)
    if owned is None:
        return Conversation.objects.none()
    return Conversation.objects.filter(owned).order_by("-created_at", "-pk")


def conversation_of_citizen(
    *, user: User | AnonymousUser | None, pk: int, visitor: str = ""
) -> Conversation | None:
    """The citizen's own conversation, or None (somebody else's is the same as none)."""
    return conversations_of(user=user, visitor=visitor).filter(pk=pk).first()


def conversation_open_of(
    *, user: User | AnonymousUser | None, visitor: str = ""
) -> Conversation | None:
    """The conversation the citizen has going, if any."""
    return conversations_of(user=user, visitor=visitor).filter(status__in=OPEN_STATUSES).first()


def conversation_latest_of(
    *, user: User | AnonymousUser | None, visitor: str = ""
) -> Conversation | None:
    """The open conversation, else the last closed one (it still waits for a rating)."""
    return (
        conversation_open_of(user=user, visitor=visitor)
        or conversations_of(user=user, visitor=visitor).first()
    )


def conversation_for_staff(*, user: User, pk: int) -> Conversation | None:
    """A conversation this person may open from the staff's side (`access.staff_sees`)."""
    visible = access.staff_sees_q(actor=access.staff_of(user))
    return Conversation.objects.filter(visible, pk=pk).select_related("user", "operator").first()


def may_read(
    *, user: User | AnonymousUser | None, conversation: Conversation, visitor: str = ""
) -> str | None:
    """Which side this person reads the conversation from ("citizen"/"staff"), or None.

    Pages, files, transcripts and sockets (at the handshake and on every delivery) ask this."""
    if owns(user=user, visitor=visitor, conversation=conversation):
        return "citizen"
    if access.staff_sees(conversation, actor=access.staff_of(user)):
        return "staff"
    return None


def messages_after(
    *, conversation_id: int, after: int, staff: bool, limit: int = CATCH_UP_PAGE
) -> list[Message]:
    """Messages numbered above `after`, in order, at most `limit` (a catch-up's page);
    notes between staff only for staff."""
    messages = Message.objects.filter(conversation_id=conversation_id, seq__gt=after)
    if not staff:
        messages = messages.filter(staff_only=False)
    return list(messages.select_related("sender").order_by("seq")[:limit])


def messages_latest(*, conversation_id: int, staff: bool, limit: int = LOG_SHOWN) -> list[Message]:
    """The newest `limit` messages, in order: what a page shows (the transcript has all)."""
    messages = Message.objects.filter(conversation_id=conversation_id)
    if not staff:
        messages = messages.filter(staff_only=False)
    return list(reversed(messages.select_related("sender").order_by("-seq")[:limit]))


def person_name(user: User | None) -> str:
    """How staff see a person: the full name, else the short name, else the login."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_short_name() or user.get_username()


def sender_name(message: Message, *, staff: bool = False) -> str:
    """The label over a message: the citizen reads their own as «Вы», staff read the
    citizen's name."""
    if message.sender_kind == SenderKind.OPERATOR:
        sender = message.sender
        name = sender.get_short_name() if sender is not None else ""
        return _("Оператор %(name)s") % {"name": name} if name else _("Оператор")
    if staff and message.sender_kind == SenderKind.CITIZEN:
        return person_name(message.sender) or str(SenderKind.CITIZEN.label)
    return str(SenderKind(message.sender_kind).label)


def message_payload(message: Message, *, staff: bool = False) -> dict:
    """What a socket sends for a message (text stays text: the page never parses it as HTML).

    `staff_sender_name` rides along in the ring's copy, which both sides share; a staff
    socket sends it as `sender_name` (`payload_for_side`)."""
    payload = {
        "type": "message",
        "seq": message.seq,
        "client_id": message.client_id,
        "sender": message.sender_kind,
        "sender_name": sender_name(message, staff=staff),
        "text": message.text,
        "at": timezone.localtime(message.created_at).strftime("%H:%M"),
        "staff_only": message.staff_only,
        "articles": message.data.get("articles", []),
        "offer": message.data.get("offer", []),
    }
    if message.file:
        payload["file"] = {
            "name": message.file_name,
            "size": message.file_size,
            "url": reverse("chat:file", kwargs={"key": message.key}),
        }
    return payload


def ring_payload(message: Message) -> dict:
    """The copy of a new message its ring carries to both sides."""
    payload = message_payload(message)
    payload["staff_sender_name"] = sender_name(message, staff=True)
    return payload


def payload_for_side(ring_copy: dict, *, staff: bool) -> dict:
    payload = dict(ring_copy)
    staff_name = payload.pop("staff_sender_name", None)
    if staff and staff_name:
        payload["sender_name"] = staff_name
    return payload


def conversations_last_seq(*, conversation_ids: list[int]) -> dict[int, int]:
    """The number of each conversation's last stored message (a chat that is gone is
    missing), for many at once."""
    return dict(Conversation.objects.filter(pk__in=conversation_ids).values_list("pk", "last_seq"))


def conversation_snapshot(conversation: Conversation) -> dict:
    """What both sides' state frames are made of (the socket adds the queue place)."""
    return {
        "status": conversation.status,
        # Who may read it now: each socket checks itself on every delivery (`may_read`).
        "user_id": conversation.user_id,
        "visitor": conversation.visitor,
        "operator_id": conversation.operator_id,
        "citizen_read_seq": conversation.citizen_read_seq,
        "operator_read_seq": conversation.operator_read_seq,
        "rated": conversation.rating is not None,
    }


def state_payload(
    *, snapshot: dict, staff: bool, place: "Place | None" = None, more: bool = False
) -> dict:
    """What a socket sends for the conversation's state (`more`: a catch-up has another page)."""
    return {
        "type": "state",
        "more": more,
        "status": snapshot["status"],
        "place": {"position": place.position, "minutes": place.minutes} if place else None,
        # How far the other side has read: the read marks under one's own messages.
        "read_seq": snapshot["citizen_read_seq"] if staff else snapshot["operator_read_seq"],
        "rated": snapshot["rated"],
    }


@dataclass(frozen=True)
class Availability:
    """Whether an operator can be reached now, and if not, why."""

    available: bool
    reason: str
    channel: ChannelStatus | None


def operators_online(*, now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    return (
        Presence.objects.filter(is_operator=True, seen_at__gte=now - PRESENCE_STALE)
        .values("user")
        .distinct()
        .count()
    )


def chat_channel_status(*, now: datetime.datetime | None = None) -> ChannelStatus | None:
    statuses = contact_channels_status(now=now)
    return next((s for s in statuses if s.channel.kind == ChannelKind.CHAT), None)


def availability(*, now: datetime.datetime | None = None) -> Availability:
    channel = chat_channel_status(now=now)
    if channel is not None and not channel.is_open:
        return Availability(
            False,
            _("Операторы чата сейчас не работают (%(status)s).") % {"status": channel.status_text},
            channel,
        )
    if operators_online(now=now) == 0:
        return Availability(False, _("Сейчас нет операторов в сети."), channel)
    return Availability(True, "", channel)


def queue_waiting() -> QuerySet[Conversation]:
    """Waiting conversations in the order operators should take them."""
    return (
        Conversation.objects.filter(status=Status.WAITING)
        .select_related("user")
        .order_by("-priority", "queued_at", "pk")
    )


@dataclass(frozen=True)
class QueueRow:
    conversation: Conversation
    waited_minutes: int
    open_appeals: list[Appeal]


def queue_rows(*, now: datetime.datetime | None = None) -> list[QueueRow]:
    """The operator's home: each waiting conversation with its wait and the citizen's appeals."""
    now = now or timezone.now()
    waiting = list(
        queue_waiting().prefetch_related(
            Prefetch(
                "user__appeals",
                queryset=Appeal.objects.filter(status__in=APPEAL_OPEN).order_by("due_date"),
                to_attr="open_appeals",
            )
        )
    )
    return [
        QueueRow(
            conversation=c,
            waited_minutes=int((now - (c.queued_at or now)).total_seconds() // 60),
            open_appeals=list(c.user.open_appeals) if c.user is not None else [],
        )
        for c in waiting
    ]


def conversations_held(*, user: User) -> QuerySet[Conversation]:
    return Conversation.objects.filter(operator=user, status=Status.OPERATOR).select_related("user")


@dataclass(frozen=True)
class Place:
    position: int
    minutes: int


def queue_place(*, conversation: Conversation) -> Place | None:
    """The citizen's place in the queue (1 is next) and a rough wait in minutes."""
    if conversation.status != Status.WAITING or conversation.queued_at is None:
        return None
    ahead = (
        Conversation.objects.filter(status=Status.WAITING)
        .filter(
            Q(priority__gt=conversation.priority)
            | Q(priority=conversation.priority, queued_at__lt=conversation.queued_at)
            | Q(
                priority=conversation.priority,
                queued_at=conversation.queued_at,
                pk__lt=conversation.pk,
            )
        )
        .count()
    )
    operators = max(1, operators_online())
    minutes = max(1, round((ahead + 1) * MINUTES_PER_CONVERSATION / operators))
    return Place(position=ahead + 1, minutes=minutes)


def transcript_text(*, conversation: Conversation, staff: bool = False) -> str:
    """The conversation as plain text: for the download and for "Оставить сообщение"."""
    lines = [
        _("Чат %(number)s от %(date)s")
        % {
            "number": conversation.number,
            "date": date_format(timezone.localtime(conversation.created_at), "j E Y, H:i"),
        },
        "",
    ]
    for message in messages_after(
        conversation_id=conversation.pk, after=0, staff=staff, limit=10_000
    ):
        when = timezone.localtime(message.created_at).strftime("%H:%M")
        text = message.text
        if message.file:
            text = (text + "\n" if text else "") + _("[файл: %(name)s]") % {
                "name": message.file_name
            }
        for article in message.data.get("articles", []):
            text += f"\n  — {article.get('title', '')}"
        lines.append(f"[{when}] {sender_name(message, staff=staff)}: {text}")
    if conversation.resolution:
        lines += ["", _("Итог: %(text)s") % {"text": conversation.resolution}]
    return "\n".join(lines) + "\n"


def staff_colleagues(*, user: User) -> QuerySet[User]:
    """Who a conversation can be handed to: the other operators, those online first."""
    return staff_assignable().exclude(pk=user.pk)


def canned_answers() -> QuerySet[CannedAnswer]:
    return CannedAnswer.objects.filter(is_active=True)


def message_file_for(
    *, user: User | AnonymousUser | None, key: str, visitor: str = ""
) -> Message | None:
    """A message's file for someone who may read its conversation, else None."""
    try:
        message = (
            Message.objects.select_related("conversation").exclude(file="").filter(key=key).first()
        )
    except ValidationError:
        return None
    side = (
        None
        if message is None
        else may_read(user=user, visitor=visitor, conversation=message.conversation)
    )
    if side is None or (message.staff_only and side != "staff"):
        return None
    return message


def citizen_open_appeals(*, user: User | None) -> list[Appeal]:
    """The citizen's open appeals (a visitor without an account has none to show)."""
    if user is None:
        return []
    return list(Appeal.objects.filter(author=user, status__in=APPEAL_OPEN).order_by("due_date"))
