"""Live events to one person's open pages, sent only after the transaction commits.

The channel layer is a doorbell, not a mailbox (at-most-once): what is announced here is
always stored first, so a page that missed the event is right on reload or reconnect.
Consumers that serve a signed-in person join `user_group(user_id)`.
"""

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)
_held = threading.local()


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def ring_on_commit(ring: Callable[[], None]) -> None:
    """The one after-commit ring: run `ring` once the transaction commits (at once outside
    one, never after a rollback). A doorbell that fails (no layer, a loop in this thread,
    Redis away) is logged and never fails the writer: what it announces is already stored."""
    transaction.on_commit(ring, robust=True)


def group_send(group: str, event: dict) -> None:
    """Ring a channel-layer group now (call it from a ring run after the commit), or, inside
    `rings_held`, as soon as the held work returns to its event loop."""
    held = getattr(_held, "sends", None)
    if held is not None:
        held.append((group, event))
        return
    layer = get_channel_layer()
    if layer is None:
        return
    async_to_sync(layer.group_send)(group, event)


@contextmanager
def rings_held(sends: list[tuple[str, dict]]) -> Iterator[None]:
    """Collect this thread's rings in `sends` instead of sending them: for a socket's
    database work, whose caller sends them from its own event loop (`rings_send`) when the
    work returns, rather than each ring hopping from the database thread to the loop and
    waiting there for Redis. They are still rung only after the commit."""
    outer = getattr(_held, "sends", None)
    _held.sends = sends
    try:
        yield
    finally:
        _held.sends = outer


async def rings_send(sends: list[tuple[str, dict]]) -> None:
    """Send rings held by `rings_held`, in order. A failing layer is logged, as by
    `ring_on_commit`: what they announce is stored, and the step stands."""
    layer = get_channel_layer()
    if layer is None:
        return
    for group, event in sends:
        try:
            await layer.group_send(group, event)
        except Exception:
            logger.exception("A ring to %s failed after the commit", group)


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
