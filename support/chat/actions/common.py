"""The numbered store every message goes through, and what the writing steps share."""

import math
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, OuterRef, Subquery
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from portal.http import UNKNOWN_CLIENT
from portal.notifications.actions import notification_send
from portal.notifications.models import Notification, NotificationEvent
from portal.ratelimits import window_admit, window_admit_async
from support.centre.uploads import CheckedFile
from support.chat import lifecycle
from support.chat.actions.visitors import visitor_answers_send
from support.chat.bot import bot_reply
from support.chat.events import conversation_changed_on_commit
from support.chat.lifecycle import Actor, Role, Step
from support.chat.models import Conversation, Message, SenderKind, Status
from support.chat.rules import (
    BAD_CLIENT_ID,
    MAX_CLIENT_ID,
    MAX_TEXT,
    RATE_ADDRESS_MESSAGES,
    RATE_MESSAGES,
    RATE_SECONDS,
    TEXT_EMPTY,
    TEXT_TOO_LONG,
    TOO_FAST,
)
from support.chat.selectors import conversation_snapshot, ring_payload
from support.chat.tasks import inbox_copy_on_commit

CLIENT_ID = re.compile(rf"^[A-Za-z0-9_-]{{1,{MAX_CLIENT_ID}}}$")


def locked(conversation_id: int) -> Conversation:
    """The conversation's row, locked until the transaction ends (call inside atomic)."""
    return Conversation.objects.select_for_update().get(pk=conversation_id)


def _next_seq(conversation: Conversation) -> int:
    """Take the conversation's next number; the UPDATE holds the row's write lock."""
    if connection.features.can_return_columns_from_insert:
        # SQLite 3.35+ and PostgreSQL: one statement instead of an UPDATE and a SELECT.
        table = connection.ops.quote_name(Conversation._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET last_seq = last_seq + 1 WHERE id = %s RETURNING last_seq",
                [conversation.pk],
            )
            return cursor.fetchone()[0]
    Conversation.objects.filter(pk=conversation.pk).update(last_seq=F("last_seq") + 1)
    return Conversation.objects.values_list("last_seq", flat=True).get(pk=conversation.pk)


def _locked_and_numbered(conversation_id: int, sender_kind: str, client_id: str) -> Conversation:
    """PostgreSQL: the row's lock, the next number and the resend check in one statement
    (`replay_pk`: the stored message with this client id, if any). A step refused after
    it, or a resend, rolls the number back with the transaction."""
    quote = connection.ops.quote_name
    table = quote(Conversation._meta.db_table)
    columns = ", ".join(quote(f.column) for f in Conversation._meta.concrete_fields)
    field = Message._meta.get_field
    replay = (
        f"SELECT m.{quote(field('id').column)} FROM {quote(Message._meta.db_table)} m "
        f"WHERE m.{quote(field('conversation').column)} = {table}.id "
        f"AND m.{quote(field('sender_kind').column)} = %s "
        f"AND m.{quote(field('client_id').column)} = %s LIMIT 1"
    )
    found = list(
        Conversation.objects.raw(
            f"UPDATE {table} SET last_seq = last_seq + 1 WHERE id = %s "
            f"RETURNING {columns}, ({replay}) AS replay_pk",
            [conversation_id, sender_kind, client_id],
        )
    )
    if not found:
        raise Conversation.DoesNotExist
    return found[0]


def store(
    conversation: Conversation,
    *,
    sender_kind: str,
    text: str = "",
    sender=None,
    client_id: str = "",
    data: dict | None = None,
    staff_only: bool = False,
    file: CheckedFile | None = None,
    seq: int | None = None,
) -> Message:
    """Give the message the conversation's next number (or `seq`, taken already under the
    row's lock), store it, ring after commit."""
    conversation.last_seq = seq if seq is not None else _next_seq(conversation)
    message = Message(
        conversation=conversation,
        seq=conversation.last_seq,
        sender_kind=sender_kind,
        sender=sender,
        client_id=client_id,
        text=text,
        data=data or {},
        staff_only=staff_only,
    )
    if file is not None:
        message.file_name = file.name
        message.file_type = file.content_type
        message.file_size = file.size
        message.file.save(file.name, file.upload, save=False)
    message.save()
    with translation.override(conversation.language):
        payload = ring_payload(message)
    conversation_changed_on_commit(
        conversation_id=conversation.pk,
        seq=message.seq,
        message=payload,
        # Read after the commit: the state the whole transaction left behind.
        state=lambda: conversation_snapshot(conversation),
    )
    return message


def system_say(conversation: Conversation, text: str, **data) -> Message:
    return store(conversation, sender_kind=SenderKind.SYSTEM, text=text, data=data)


def _rate_windows(actor: Actor, address: str) -> list[tuple[str, int]]:
    """The windows a message counts in, in the order they are asked: the person's
    (`RATE_MESSAGES` in RATE_SECONDS; "u<id>", or a visitor's key) and a visitor's client
    address's ("a<address>"; RATE_ADDRESS_MESSAGES). No address known: the one shared
    bucket (the limits fail closed)."""
    if actor.person is not None:
        return [(f"u{actor.person.pk}", RATE_MESSAGES)]
    return [
        (actor.visitor, RATE_MESSAGES),
        (f"a{address or UNKNOWN_CLIENT}", RATE_ADDRESS_MESSAGES),
    ]


def _too_fast(left: float | None) -> ValidationError | None:
    if left is None:
        return None
    wait = max(1, math.ceil(left))
    return ValidationError(TOO_FAST, code="rate", params={"retry_after": wait})


@dataclass(frozen=True)
class RateAnswer:
    """The per-person limit's answer for one message, asked before `message_post`."""

    refusal: ValidationError | None


def _rate_refusal(actor: Actor, client_id: str, address: str) -> ValidationError | None:
    """The limits for this client id, across processes (the cache: one round trip each on
    Redis): the refusal, or None when admitted. Each window holds the client ids it
    admitted: an id admitted once is never refused again (a resend after a connection lost
    before the store, or before the answer)."""
    for who, limit in _rate_windows(actor, address):
        left = window_admit(f"chat:rate:{who}", client_id, limit=limit, seconds=RATE_SECONDS)
        if left is not None:
            return _too_fast(left)
    return None


async def message_rate_async(
    *, actor: Actor, text: str, client_id: str, has_file: bool = False, address: str = ""
) -> RateAnswer:
    """The limits of `message_post` asked from a socket's event loop (the same windows, the
    same rule: `window_admit_async`), so their round trips hold no database thread; pass
    the answer to `message_post`. A message refused for its client id or its text is not
    counted, as in `message_post`."""
    if not CLIENT_ID.match(client_id or ""):
        raise ValidationError(BAD_CLIENT_ID, code="client_id")
    text_check(text, has_file=has_file)
    for who, limit in _rate_windows(actor, address):
        left = await window_admit_async(
            f"chat:rate:{who}", client_id, limit=limit, seconds=RATE_SECONDS
        )
        if left is not None:
            return RateAnswer(_too_fast(left))
    return RateAnswer(None)


def rate_retry_after(error: ValidationError) -> int | None:
    """Seconds until a message refused for speed may be sent again (None: another refusal)."""
    if getattr(error, "code", None) != "rate":
        return None
    return (getattr(error, "params", None) or {}).get("retry_after", RATE_SECONDS)


def text_check(text: str, *, has_file: bool) -> str:
    text = text.strip()
    if not text and not has_file:
        raise ValidationError(TEXT_EMPTY, code="empty")
    if len(text) > MAX_TEXT:
        raise ValidationError(TEXT_TOO_LONG, code="too_long")
    return text


@dataclass(frozen=True)
class Posted:
    message: Message
    replayed: bool  # the same client id was stored before: nothing new was written


def _existing(conversation_id: int, sender_kind: str, client_id: str) -> Message | None:
    if not client_id:
        return None
    return Message.objects.filter(
        conversation_id=conversation_id, sender_kind=sender_kind, client_id=client_id
    ).first()


def message_post(
    *,
    conversation_id: int,
    actor: Actor,
    text: str,
    client_id: str,
    file: CheckedFile | None = None,
    address: str = "",
    rate: RateAnswer | None = None,
) -> Posted:
    """Store a citizen's or an operator's message exactly once; the bot answers a citizen
    who is still with the bot. A resend with the same client id returns the stored one.

    `address` is the client's (`portal.http.client_ip`): a visitor's messages are limited
    per visitor and per address. `rate`: the limits' answer when the caller asked them
    already (`message_rate_async`); otherwise they are asked here."""
    if not CLIENT_ID.match(client_id or ""):
        raise ValidationError(BAD_CLIENT_ID, code="client_id")
    sender_kind = SenderKind.CITIZEN if actor.role == Role.CITIZEN else SenderKind.OPERATOR
    text = text_check(text, has_file=file is not None)
    # The limit's round trip to the cache before the row's lock, not inside it (the lock
    # would wait on Redis). Its refusal is said where it always was, after the resend check
    # (a stored id is never refused) and the step's own refusals; a message refused for
    # another reason has still counted as sent.
    if rate is None:
        rate = RateAnswer(_rate_refusal(actor, client_id, address))
    too_fast = rate.refusal
    try:
        with transaction.atomic():
            numbered = None
            if connection.vendor == "postgresql":
                conversation = _locked_and_numbered(conversation_id, sender_kind, client_id)
                numbered = conversation.last_seq
            else:
                # The row's lock and the resend check in one query.
                conversation = (
                    Conversation.objects.select_for_update()
                    .annotate(
                        replay_pk=Subquery(
                            Message.objects.filter(
                                conversation=OuterRef("pk"),
                                sender_kind=sender_kind,
                                client_id=client_id,
                            ).values("pk")[:1]
                        )
                    )
                    .get(pk=conversation_id)
                )
            if conversation.replay_pk is not None:
                # Stored before (the answer was lost): never refused, whatever changed since
                # (the chat closed, the limit filled up). Only its own sender finds it.
                replay = Message.objects.get(pk=conversation.replay_pk)
                if replay.sender_id == (actor.person.pk if actor.person else None):
                    if numbered is not None:
                        transaction.set_rollback(True)  # the number taken goes back
                    return Posted(replay, replayed=True)
            if actor.role == Role.CITIZEN:
                step = Step.ASK if conversation.status == Status.BOT else Step.WRITE
            else:
                step = Step.ANSWER
            lifecycle.step_check(step, conversation=conversation, actor=actor)
            if conversation.replay_pk is not None:
                # Somebody else's id (another operator of the same side): refused as a fresh one
                # would collide with the stored message.
                raise ValidationError(BAD_CLIENT_ID, code="client_id")
            if too_fast is not None:
                raise too_fast
            message = store(
                conversation,
                sender_kind=sender_kind,
                sender=actor.person,
                client_id=client_id,
                text=text,
                file=file,
                seq=numbered,
            )
            if step == Step.ASK:
                if not conversation.topic and text:
                    conversation.topic = text[:200]
                    conversation.save(update_fields=["topic"])
                if text:
                    reply = bot_reply(user=actor.person, text=text, language=conversation.language)
                    store(
                        conversation, sender_kind=SenderKind.BOT, text=reply.text, data=reply.data
                    )
            if step == Step.ANSWER:
                inbox_copy_on_commit(conversation_id=conversation.pk, seq=message.seq)
            return Posted(message, replayed=False)
    except IntegrityError:
        # Two sockets raced with the same client id: the other one stored it.
        existing = _existing(conversation_id, sender_kind, client_id)
        if existing is None:
            raise
        return Posted(existing, replayed=True)


def conversation_copy_to_inbox(*, conversation_id: int, seq: int) -> bool:
    """Copy an operator's answer (number `seq`) to the citizen's inbox unless they have read
    it since: one unread notice at a time, read as soon as they read the chat
    (`conversation_mark_read`). A visitor's goes to their e-mail and phone instead
    (`visitors.visitor_answers_send`). Returns whether a notice was sent."""
    conversation = Conversation.objects.select_related("user").filter(pk=conversation_id).first()
    if conversation is None or conversation.citizen_read_seq >= seq:
        return False
    if conversation.user is None:
        # A visitor has no inbox: the answer goes where they asked at the hand-off.
        return visitor_answers_send(conversation=conversation, seq=seq)
    if Notification.objects.filter(
        user_id=conversation.user_id, event=NotificationEvent.CHAT_MESSAGE, read_at__isnull=True
    ).exists():
        return False
    with translation.override(conversation.language):
        title = _("Оператор ответил в чате %(number)s") % {"number": conversation.number}
    notification_send(
        user=conversation.user,
        event=NotificationEvent.CHAT_MESSAGE,
        title=title,
        url=reverse("chat:page"),
    )
    return True
