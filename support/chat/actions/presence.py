"""Operators' workspace sockets coming, beating and going, and read marks.

Presence is a heartbeat: a row counts while its socket renews it (`PRESENCE_STALE`), so the
sockets of a server that died stop counting within two and a half beats and are swept by the
next operator who comes or beats. Citizens' sockets leave no rows: nothing depends on them
(an operator's answer always reaches the inbox too).
"""

from contextlib import nullcontext

from django.db import connection, transaction
from django.utils import timezone

from portal.models import User
from portal.notifications.models import Notification, NotificationEvent
from support.chat.events import conversation_changed_on_commit, queue_changed_on_commit
from support.chat.models import Conversation, Presence
from support.chat.rules import PRESENCE_STALE
from support.chat.selectors import conversation_snapshot


def presence_beat(*, channel_name: str, user: User) -> None:
    """An operator's workspace socket is open (its handshake, then every heartbeat)."""
    now = timezone.now()
    # A beat of a socket already present is this one statement (no transaction around it).
    if Presence.objects.filter(channel_name=channel_name).update(seen_at=now):
        return
    with transaction.atomic():
        # Rows of dead servers, swept here rather than by a clock nobody runs.
        Presence.objects.filter(seen_at__lt=now - PRESENCE_STALE).delete()
        Presence.objects.create(channel_name=channel_name, user=user, is_operator=True, seen_at=now)
        # Citizens waiting for "somebody online" learn it at once.
        queue_changed_on_commit()


def presence_leave(*, channel_name: str) -> None:
    deleted, _ = Presence.objects.filter(channel_name=channel_name).delete()
    if deleted:
        queue_changed_on_commit()


# What a ring's state is built from: everything `selectors.conversation_snapshot` reads,
# the owner (account or visitor) included, which every socket checks on delivery.
SNAPSHOT_FIELDS = (
    "user_id",
    "visitor",
    "operator_id",
    "status",
    "citizen_read_seq",
    "operator_read_seq",
    "rating",
    "last_seq",
)


def _move_mark(conversation_id: int, field: str, seq: int) -> Conversation | None:
    """Move the mark forward in one statement; the conversation as it is now, or None if
    the mark did not move (already there, or beyond the last message)."""
    if connection.features.can_return_columns_from_insert:
        table = connection.ops.quote_name(Conversation._meta.db_table)
        column = connection.ops.quote_name(field)
        returned = ", ".join(connection.ops.quote_name(f) for f in SNAPSHOT_FIELDS)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {column} = %s WHERE id = %s AND {column} < %s "
                f"AND last_seq >= %s RETURNING {returned}",
                [seq, conversation_id, seq, seq],
            )
            row = cursor.fetchone()
        if row is None:
            return None
        return Conversation(pk=conversation_id, **dict(zip(SNAPSHOT_FIELDS, row, strict=True)))
    moved = (
        Conversation.objects.filter(pk=conversation_id, **{f"{field}__lt": seq})
        .filter(last_seq__gte=seq)
        .update(**{field: seq})
    )
    return Conversation.objects.get(pk=conversation_id) if moved else None


def _citizen_mark_with_notice(conversation_id: int, seq: int) -> Conversation | None:
    """PostgreSQL: the citizen's mark and the inbox's notice read in one statement (a
    data-modifying WITH runs to completion whatever the outer query reads), so one round
    trip and no transaction around it, where the two UPDATEs took four with BEGIN and
    COMMIT. The same as `_move_mark` and the notice's UPDATE below."""
    table = connection.ops.quote_name(Conversation._meta.db_table)
    returned = ", ".join(connection.ops.quote_name(f) for f in SNAPSHOT_FIELDS)
    notices = connection.ops.quote_name(Notification._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH moved AS (UPDATE {table} SET citizen_read_seq = %s WHERE id = %s "
            f"AND citizen_read_seq < %s AND last_seq >= %s RETURNING {returned}), "
            f"noticed AS (UPDATE {notices} SET read_at = %s WHERE user_id IN "
            "(SELECT user_id FROM moved) AND event = %s AND read_at IS NULL) "
            f"SELECT {returned} FROM moved",
            [seq, conversation_id, seq, seq, timezone.now(), NotificationEvent.CHAT_MESSAGE],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    return Conversation(pk=conversation_id, **dict(zip(SNAPSHOT_FIELDS, row, strict=True)))


def conversation_mark_read(*, conversation_id: int, staff: bool, seq: int) -> bool:
    """Remember how far one side has read; returns whether the mark moved. The citizen's
    reading also reads the inbox's copy of the operator's answers (in the same transaction,
    one statement on PostgreSQL); staff's mark is one statement, a transaction by itself."""
    field = "operator_read_seq" if staff else "citizen_read_seq"
    if not staff and connection.vendor == "postgresql":
        conversation = _citizen_mark_with_notice(conversation_id, seq)
        if conversation is None:
            return False
        conversation_changed_on_commit(
            conversation_id=conversation_id,
            seq=conversation.last_seq,
            state=lambda: conversation_snapshot(conversation),
        )
        return True
    with nullcontext() if staff else transaction.atomic():
        conversation = _move_mark(conversation_id, field, seq)
        if conversation is None:
            return False
        if not staff:
            Notification.objects.filter(
                user_id=conversation.user_id,
                event=NotificationEvent.CHAT_MESSAGE,
                read_at__isnull=True,
            ).update(read_at=timezone.now())
        conversation_changed_on_commit(
            conversation_id=conversation_id,
            seq=conversation.last_seq,
            state=lambda: conversation_snapshot(conversation),
        )
    return True
