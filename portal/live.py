"""Live events to one person's open pages, sent only after the transaction commits.

The channel layer is a doorbell, not a mailbox (at-most-once): what is announced here is
always stored first, so a page that missed the event is right on reload or reconnect.
Consumers that serve a signed-in person join `user_group(user_id)`.
"""

from collections.abc import Callable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def ring_on_commit(ring: Callable[[], None]) -> None:
    """The one after-commit ring: run `ring` once the transaction commits (at once outside
    one, never after a rollback). A doorbell that fails (no layer, a loop in this thread,
    Redis away) is logged and never fails the writer: what it announces is already stored."""
    transaction.on_commit(ring, robust=True)


def group_send(group: str, event: dict) -> None:
    """Ring a channel-layer group now (call it from a ring run after the commit)."""
    layer = get_channel_layer()
    if layer is None:
        return
    async_to_sync(layer.group_send)(group, event)


def user_event_send(*, user_id: int, kind: str, data: dict) -> None:
    """Tell every open socket of this user that `kind` happened (from a ring already run
    after the commit)."""
    group_send(user_group(user_id), {"type": "user.event", "kind": kind, "data": data})


def user_event_on_commit(*, user_id: int, kind: str, data: dict) -> None:
    """After commit, tell every open socket of this user that `kind` happened."""
    ring_on_commit(lambda: user_event_send(user_id=user_id, kind=kind, data=data))


def user_logout_send(*, user_id: int, session_key: str | None) -> None:
    """Close the sockets this session opened (all of the user's when the key is unknown)."""
    group_send(user_group(user_id), {"type": "user.logout", "session_key": session_key})
