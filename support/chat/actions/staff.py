"""The operators' steps: take from the queue, transfer with a note, close with a report."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.models import User
from support.centre.people import user_is_operator
from support.chat.actions.common import locked, store, system_say
from support.chat.events import conversation_changed_on_commit
from support.chat.lifecycle import LIFECYCLE, Actor, Step
from support.chat.models import Conversation, SenderKind
from support.chat.rules import MAX_TEXT, RESOLUTION_NEEDED, TRANSFER_TARGET
from support.chat.tasks import inbox_copy_on_commit


def _name(user: User) -> str:
    return user.get_short_name() or user.get_username()


def conversation_take(*, conversation_id: int, actor: Actor) -> Conversation:
    with transaction.atomic():
        conversation = locked(conversation_id)
        with LIFECYCLE.begin(Step.TAKE, conversation, actor=actor, fields=["operator", "taken_at"]):
            conversation.operator = actor.user
            conversation.taken_at = timezone.now()
        with translation.override(conversation.language):
            system_say(
                conversation,
                _("Оператор %(name)s подключился к чату.") % {"name": _name(actor.user)},
            )
        return conversation


def conversation_transfer(
    *, conversation_id: int, actor: Actor, to: User, note: str
) -> Conversation:
    """Hand the conversation to another operator; the note is for staff only."""
    if to.pk == actor.user.pk or not to.is_active or not user_is_operator(to):
        raise ValidationError(TRANSFER_TARGET, code="transfer_target")
    with transaction.atomic():
        conversation = locked(conversation_id)
        # The new holder's workspace lists their conversations from the queue's ring.
        with LIFECYCLE.begin(Step.TRANSFER, conversation, actor=actor, fields=["operator"]):
            conversation.operator = to
        store(
            conversation,
            sender_kind=SenderKind.SYSTEM,
            sender=actor.user,
            staff_only=True,
            text=_("Передан оператору %(to)s от %(from)s. Заметка: %(note)s")
            % {"to": _name(to), "from": _name(actor.user), "note": note.strip()[:MAX_TEXT] or "—"},
        )
        with translation.override(conversation.language):
            system_say(conversation, _("Чат передан другому оператору, он уже видит переписку."))
        return conversation


def conversation_close(*, conversation_id: int, actor: Actor, resolution: str) -> Conversation:
    """Close with a short report the citizen sees; they are then asked to rate."""
    resolution = resolution.strip()
    if not resolution:
        raise ValidationError(RESOLUTION_NEEDED, code="resolution")
    if len(resolution) > MAX_TEXT:
        raise ValidationError(RESOLUTION_NEEDED, code="resolution")
    with transaction.atomic():
        conversation = locked(conversation_id)
        with LIFECYCLE.begin(
            Step.CLOSE, conversation, actor=actor, fields=["resolution", "closed_at"]
        ):
            conversation.resolution = resolution
            conversation.closed_at = timezone.now()
        with translation.override(conversation.language):
            system_say(
                conversation,
                _("Оператор завершил чат. Итог: %(text)s") % {"text": resolution},
                offer=["rate"],
            )
        if conversation.user_id is None:
            # A visitor who left the page hears of the answers and the close by their contacts.
            inbox_copy_on_commit(conversation_id=conversation.pk, seq=conversation.last_seq)
        conversation_changed_on_commit(conversation_id=conversation.pk, seq=conversation.last_seq)
        return conversation
