"""What the chat announces, always after the transaction commits.

The channel layer is a doorbell, not a mailbox: an announcement says "something up to `seq`
is stored". Each socket then reads from the database what it has not sent yet, so a lost or
doubled doorbell never loses or doubles a message.

A ring for a newly stored message also carries a copy of it and the conversation's state
as committed (a ring for a new state, the state alone). A socket that has sent everything
up to the message before it sends that copy without reading the database; a socket with a
gap (a lost ring, a message it may not see) reads the database as before. The copy saves
the reads, never replaces the store.
"""

from collections.abc import Callable

from portal.live import group_send, ring_on_commit

QUEUE_GROUP = "chat.queue"


def conversation_group(conversation_id: int) -> str:
    return f"chat.{conversation_id}"


def session_group(session_key: str) -> str:
    return f"chat.session.{session_key}"


def conversation_changed_on_commit(
    *,
    conversation_id: int,
    seq: int,
    message: dict | None = None,
    state: Callable[[], dict] | None = None,
) -> None:
    """Ring every socket of the conversation: new messages up to `seq`, or a new state.

    With `state` (called after the commit, so it sees everything the transaction changed),
    sockets that are not behind skip the read: with `message` (the payload of message `seq`)
    those one message behind send it; without, those that sent everything up to `seq`
    send the state (a read mark, a rating).
    """

    def ring() -> None:
        event = {"type": "chat.changed", "seq": seq}
        if state is not None:
            event["state"] = state()
        if message is not None:
            event["message"] = message
        group_send(conversation_group(conversation_id), event)

    # The portal's one after-commit ring: a failing layer is logged, the step stands.
    ring_on_commit(ring)


def queue_ring() -> None:
    """The queue moved: operators redraw it, waiting citizens learn their new place (call it
    from a ring already run after the commit)."""
    group_send(QUEUE_GROUP, {"type": "chat.queue"})


def queue_changed_on_commit() -> None:
    """`queue_ring` once the transaction commits."""
    ring_on_commit(queue_ring)


def session_ended(sender, request, user, **kwargs) -> None:
    """Close the sockets of the session that signed out (connected to user_logged_out)."""
    session = getattr(request, "session", None)
    key = getattr(session, "session_key", None)
    if key:
        group_send(session_group(key), {"type": "session.end"})
