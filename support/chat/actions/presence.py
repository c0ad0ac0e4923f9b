"""Sockets opening and closing, and read marks."""

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from portal.models import User
from support.chat.events import conversation_changed_on_commit, queue_changed_on_commit
from support.chat.models import Conversation, Presence


def presence_enter(
    *, channel_name: str, user: User, conversation_id: int | None, is_operator: bool
) -> None:
    _, created = Presence.objects.update_or_create(
        channel_name=channel_name,
        defaults={
            "user": user,
            "conversation_id": conversation_id,
            "is_operator": is_operator,
            "seen_at": timezone.now(),
        },
    )
    if is_operator and created:
        # Citizens waiting for "somebody online" learn it at once.
        queue_changed_on_commit()


def presence_leave(*, channel_name: str) -> None:
    deleted, _ = Presence.objects.filter(channel_name=channel_name, is_operator=True).delete()
    Presence.objects.filter(channel_name=channel_name).delete()
    if deleted:
        queue_changed_on_commit()


def conversation_mark_read(*, conversation_id: int, staff: bool, seq: int) -> bool:
    """Remember how far one side has read; returns whether the mark moved."""
    field = "operator_read_seq" if staff else "citizen_read_seq"
    with transaction.atomic():
        moved = (
            Conversation.objects.filter(pk=conversation_id, **{f"{field}__lt": seq})
            .filter(last_seq__gte=seq)
            .update(**{field: Greatest(F(field), seq)})
        )
        if moved:
            seq_now = Conversation.objects.values_list("last_seq", flat=True).get(
                pk=conversation_id
            )
            conversation_changed_on_commit(conversation_id=conversation_id, seq=seq_now)
    return bool(moved)
