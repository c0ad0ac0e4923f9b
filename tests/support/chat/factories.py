"""Chats in a given state, reached through the actions (as a citizen and an operator would)."""

import datetime

from django.utils import timezone

from support.chat import actions, lifecycle
from support.chat.models import Conversation, Presence, Status


def operator_online(user, channel_name: str | None = None) -> Presence:
    return Presence.objects.create(
        channel_name=channel_name or f"test.{user.pk}", user=user, is_operator=True
    )


def post(conversation, user, text, client_id, *, staff=False, **kwargs):
    """`user` writes `text` in the conversation, as the citizen or (`staff`) the operator."""
    actor = lifecycle.staff(user) if staff else lifecycle.citizen(user)
    return actions.message_post(
        conversation_id=conversation.pk, actor=actor, text=text, client_id=client_id, **kwargs
    )


def chat_make(*, user, status: str = Status.BOT, operator=None, language: str = "ru"):
    """A conversation in `status`; WAITING and later need an operator online (made here)."""
    conversation = actions.conversation_start(user=user, language=language)
    if status == Status.BOT:
        return conversation
    online = operator_online(operator or user, channel_name=f"factory.{conversation.pk}")
    actions.conversation_hand_off(conversation_id=conversation.pk, user=user)
    if status in (Status.OPERATOR, Status.CLOSED):
        actions.conversation_take(conversation_id=conversation.pk, actor=lifecycle.staff(operator))
    if status == Status.CLOSED:
        actions.conversation_close(
            conversation_id=conversation.pk, actor=lifecycle.staff(operator), resolution="Готово"
        )
    online.delete()
    conversation.refresh_from_db()
    return conversation


def waited(conversation: Conversation, minutes: int) -> None:
    Conversation.objects.filter(pk=conversation.pk).update(
        queued_at=timezone.now() - datetime.timedelta(minutes=minutes)
    )
    conversation.refresh_from_db()
