"""The chat's sockets: thin, every write through an action, every read through a selector.

A socket remembers the last number it sent. Any ring from the channel layer makes it read
what is stored after that number and send it, so it sends every message once and in order
whatever the layer loses or repeats; a reconnecting client says where it stopped ("hello").

Every frame type has a budget per socket (`rules.FRAME_LIMITS`); what is over it, binary,
too long or not JSON is answered with an error and the socket stays open. Who may read the
conversation is asked again on every delivery, not only at the handshake.
"""

import asyncio
import json
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from functools import cache

from asgiref.sync import SyncToAsync
from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections, connection
from django.utils import translation

from portal.http import scope_client_ip
from portal.live import rings_held, rings_send
from portal.visitors import visitor_key
from support.centre.people import user_is_operator
from support.centre.refusals import messages_of
from support.chat import access, actions, lifecycle, selectors
from support.chat.actions.common import RateAnswer, message_rate_async, rate_retry_after
from support.chat.events import QUEUE_GROUP, conversation_group, session_group
from support.chat.models import Conversation, Status
from support.chat.rules import (
    BAD_CLIENT_ID,
    BAD_FRAME,
    CATCH_UP_PAGE,
    FRAME_TOO_FAST,
    MAX_FRAME,
    SEQ_CHECK_SECONDS,
    TEXT_TOO_LONG,
    FrameBudget,
)

CLOSE_SIGNED_OUT = 4401
CLOSE_FORBIDDEN = 4403
# The quiet sockets' checks (`SEQ_CHECK_SECONDS`) due within this long are asked in one
# query: a thousand sockets check about 17 a second, one query a second instead of 17.
SEQ_CHECK_BATCH_SECONDS = 1.0

logger = logging.getLogger(__name__)


# A socket's frames are the chat's requests, many a second per thread: Django checks a
# connection (a `SELECT 1` round trip, CONN_HEALTH_CHECKS) before each request's first query;
# the sockets' threads check theirs at most this often. A connection that failed (PostgreSQL
# restarted) is closed after the call that met the failure, as after a request, and the
# next call opens a new one; a frame whose call failed is not acknowledged, and the page
# sends it again.
HEALTH_CHECK_SECONDS = 5.0
_checked = threading.local()


class _DatabaseWork(SyncToAsync):
    """channels' `DatabaseSyncToAsync` for the sockets: Django's clean-up after every call
    (a connection with errors, too old, or left outside autocommit is closed), the health
    check at most every HEALTH_CHECK_SECONDS per thread instead of before every call."""

    def thread_handler(self, loop, *args, **kwargs):
        try:
            return super().thread_handler(loop, *args, **kwargs)
        finally:
            close_old_connections()
            now = time.monotonic()
            if connection.connection is not None and (
                now - getattr(_checked, "at", -HEALTH_CHECK_SECONDS) < HEALTH_CHECK_SECONDS
            ):
                connection.health_check_done = True
            else:
                _checked.at = now  # the next call's first query checks the connection


@cache
def _db_threads() -> ThreadPoolExecutor | None:
    threads = getattr(settings, "CHAT_DB_THREADS", 1)
    return ThreadPoolExecutor(threads, thread_name_prefix="chat-db") if threads > 1 else None


def database_sync_to_async(function):
    """The sockets' database work, off the event loop: in a pool of CHAT_DB_THREADS threads
    (one connection each; a socket awaits its own calls in order, and a conversation's
    messages are numbered under its row's lock), or in Django's one thread on SQLite.

    The rings its commits make are sent from the event loop once it returns (before the
    caller goes on: a message's ring before its ack), not from the database thread."""

    def held(sends, *args, **kwargs):
        with rings_held(sends):
            return function(*args, **kwargs)

    pool = _db_threads()
    if pool is None:
        work = _DatabaseWork(held)
    else:
        work = _DatabaseWork(held, thread_sensitive=False, executor=pool)

    async def call(*args, **kwargs):
        sends: list[tuple[str, dict]] = []
        try:
            return await work(sends, *args, **kwargs)
        finally:
            await rings_send(sends)

    return call


class _SeqChecks:
    """The checks of one event loop's quiet sockets, gathered for a moment and asked in one
    query. A socket found behind is rung on its own channel, so the catch-up runs in its
    own turn like any ring (never beside a frame or a ring it is handling)."""

    def __init__(self) -> None:
        self.due: dict[int, list[ChatConsumer]] = {}
        self.round: asyncio.Task | None = None

    def add(self, consumer: "ChatConsumer") -> None:
        self.due.setdefault(consumer.conversation_id, []).append(consumer)
        if self.round is None or self.round.done():
            self.round = asyncio.get_running_loop().create_task(self.ask(consumer.channel_layer))

    async def ask(self, layer) -> None:
        await asyncio.sleep(SEQ_CHECK_BATCH_SECONDS)
        due, self.due = self.due, {}
        try:
            last = await database_sync_to_async(selectors.conversations_last_seq)(
                conversation_ids=list(due)
            )
            for conversation_id, sockets in due.items():
                seq = last.get(conversation_id)
                for socket in sockets:
                    # Behind (or the chat is gone, which the socket's read finds): a bare
                    # doorbell, which reads what follows its last number.
                    if socket.last_sent is not None and (seq is None or seq > socket.last_sent):
                        await layer.send(socket.channel_name, {"type": "chat.changed"})
        except Exception:
            # The next beat asks again (a minute later at the latest).
            logger.exception("The quiet chats' check failed")


_seq_checks: dict[asyncio.AbstractEventLoop, _SeqChecks] = {}


def seq_checks() -> _SeqChecks:
    loop = asyncio.get_running_loop()
    if loop not in _seq_checks:
        for gone in [other for other in _seq_checks if other.is_closed()]:
            del _seq_checks[gone]
        _seq_checks[loop] = _SeqChecks()
    return _seq_checks[loop]


class _Guarded(AsyncJsonWebsocketConsumer):
    """Signed-in people only (unless `visitors_welcome`: then a visitor with a session);
    the socket closes when its session signs out."""

    groups_joined: list[str]
    accepted_types: frozenset[str] = frozenset()
    visitors_welcome = False

    async def connect(self) -> None:
        self.groups_joined = []
        self.budget = FrameBudget()
        self.refused_at: dict[str, float] = {}
        user = self.scope.get("user")
        session = self.scope.get("session")
        self.visitor = ""
        self.address = scope_client_ip(self.scope)
        if user is not None and not user.is_authenticated and session is not None:
            if self.visitors_welcome and session.session_key:
                self.visitor = visitor_key(user=None, session_key=session.session_key)
        if user is None or not (user.is_authenticated or self.visitor):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        if not await self.admit(user):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        if session is not None and session.session_key:
            await self.join(session_group(session.session_key))
        await self.accept()
        await self.entered()

    async def dispatch(self, message: dict) -> None:
        """channels' dispatch without its `close_old_connections` hop before every frame and
        every ring: that hop goes to the one thread-sensitive thread, so every socket's every
        frame in the process queued there, and waited behind any database work it had. The
        sockets' database work closes what it must itself, in its own thread, after each
        call (`_DatabaseWork`)."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def admit(self, user) -> bool:
        raise NotImplementedError

    async def entered(self) -> None:
        """After the handshake: presence, first state."""

    async def join(self, group: str) -> None:
        await self.channel_layer.group_add(group, self.channel_name)
        self.groups_joined.append(group)

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def session_end(self, event: dict) -> None:
        await self.close(code=CLOSE_SIGNED_OUT)

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        """Every frame answered: binary, oversized, malformed or unknown ones with an error."""
        if text_data is None:
            await self.refuse_frame("bad", "bad_frame", str(BAD_FRAME))
            return
        if len(text_data) > MAX_FRAME:
            await self.refuse_frame("bad", "too_long", str(TEXT_TOO_LONG))
            return
        try:
            content = json.loads(text_data)
        except (ValueError, RecursionError):
            # RecursionError: JSON nested deeper than the parser goes.
            content = None
        kind = content.get("type") if isinstance(content, dict) else None
        if kind not in self.accepted_types:
            await self.refuse_frame("bad", "bad_frame", str(BAD_FRAME))
            return
        if not self.exempt(kind, content) and not self.budget.take(kind, time.monotonic()):
            await self.over_budget(kind, content)
            return
        await getattr(self, f"on_{kind}")(content)

    def exempt(self, kind: str, content: dict) -> bool:
        """A frame the budget does not count (the next page of a catch-up)."""
        return False

    async def over_budget(self, kind: str, content: dict) -> None:
        await self.refuse_frame(kind, "rate_frame", str(FRAME_TOO_FAST))

    async def refuse_frame(self, kind: str, code: str, message: str, **extra) -> None:
        """An error for a frame, at most once a second per kind (never an amplifier)."""
        now = time.monotonic()
        if now - self.refused_at.get(kind, -1.0) < 1.0:
            return
        self.refused_at[kind] = now
        await self.send_json({"type": "error", "code": code, "message": message, **extra})


class ChatConsumer(_Guarded):
    """One conversation, from the citizen's side or from staff's; a visitor without an
    account reaches only their session's own conversation (`selectors.may_read`)."""

    accepted_types = frozenset({"hello", "message", "typing", "read", "ping"})
    visitors_welcome = True

    async def admit(self, user) -> bool:
        self.user = user
        self.conversation_id = int(self.scope["url_route"]["kwargs"]["conversation_id"])
        self.side = await database_sync_to_async(self._side)()
        if self.side is None:
            return False
        self.staff = self.side == "staff"
        self.last_sent: int | None = None  # nothing until the client says where it stopped
        self.more = False  # the last catch-up left a page for the client to ask for
        self.read_marked = 0  # the furthest receipt taken; written up to read_written
        self.read_written = 0
        self.read_writer: asyncio.Future | None = None
        self.state_sent: dict | None = None  # the last state frame this socket sent
        self.seq_checked = time.monotonic()
        await self.join(conversation_group(self.conversation_id))
        await self.follow_queue(self.status)
        return True

    def _side(self) -> str | None:
        conversation = Conversation.objects.filter(pk=self.conversation_id).first()
        if conversation is None:
            return None
        side = selectors.may_read(user=self.user, visitor=self.visitor, conversation=conversation)
        self.language = conversation.language
        self.status = conversation.status
        return side

    async def disconnect(self, code: int) -> None:
        if getattr(self, "read_writer", None) is not None:
            await self.read_writer  # the receipts taken are written before the socket ends
        await super().disconnect(code)

    def may_still_read(self, snapshot: dict) -> bool:
        """The same rule as the handshake (`selectors.may_read`), on the state a ring
        carries: a chat taken by a supervisor stops reaching the operator who had it."""
        conversation = Conversation(
            pk=self.conversation_id,
            user_id=snapshot["user_id"],
            visitor=snapshot.get("visitor", ""),
            operator_id=snapshot["operator_id"],
            status=snapshot["status"],
        )
        side = selectors.may_read(user=self.user, visitor=self.visitor, conversation=conversation)
        return side == self.side

    async def lose_access(self) -> None:
        self.last_sent = None  # nothing more is sent, whatever rings before the close
        await self.close(code=CLOSE_FORBIDDEN)

    async def follow_queue(self, status: str) -> bool:
        """Be in the queue's group only while waiting in it: a queue change rings the
        waiting citizens (each reads its place), not every open chat. True when joined now."""
        waiting = not self.staff and status == Status.WAITING
        if waiting and QUEUE_GROUP not in self.groups_joined:
            await self.join(QUEUE_GROUP)
            return True
        if not waiting and QUEUE_GROUP in self.groups_joined:
            await self.channel_layer.group_discard(QUEUE_GROUP, self.channel_name)
            self.groups_joined.remove(QUEUE_GROUP)
        return False

    # --- from the client ------------------------------------------------------------
    def exempt(self, kind: str, content: dict) -> bool:
        # Asking for the next page of a catch-up moves forward only: not counted.
        return kind == "hello" and self.more and content.get("after") == self.last_sent

    async def over_budget(self, kind: str, content: dict) -> None:
        if kind == "message":
            # Said for every message (the page keeps it and sends it again later).
            client_id = content.get("client_id")
            await self.send_json(
                {
                    "type": "error",
                    "client_id": client_id if isinstance(client_id, str) else "",
                    "code": "rate",
                    "retry_after": 1,
                    "message": str(FRAME_TOO_FAST),
                }
            )
            return
        await super().over_budget(kind, content)

    async def on_hello(self, content: dict) -> None:
        after = content.get("after")
        self.last_sent = after if isinstance(after, int) and after >= 0 else 0
        await self.flush()

    async def on_ping(self, content: dict) -> None:
        await self.send_json({"type": "pong"})
        now = time.monotonic()
        if self.last_sent is None or now - self.seq_checked < SEQ_CHECK_SECONDS:
            return
        # The net under the doorbell: a ring the layer lost in a quiet chat (no ring since)
        # is made up for within a minute, in one query with the other sockets due now.
        self.seq_checked = now
        seq_checks().add(self)

    async def on_message(self, content: dict) -> None:
        client_id = content.get("client_id")
        text = content.get("text")
        if not isinstance(client_id, str) or not isinstance(text, str):
            await self.refuse(str(client_id or "")[:64], "bad", [str(BAD_CLIENT_ID)])
            return
        try:
            # The per-person limit's round trip awaited here, on the event loop, before the
            # database thread is taken (the same rule; its refusal is still said by
            # `message_post`, after the resend check: a stored id is never refused).
            rate = await message_rate_async(
                actor=lifecycle.citizen(self.user, self.visitor),
                text=text,
                client_id=client_id,
                address=self.address,
            )
            posted = await database_sync_to_async(self._post)(text, client_id, rate)
        except ValidationError as error:
            retry_after = rate_retry_after(error)
            extra = {"retry_after": retry_after} if retry_after is not None else {}
            await self.refuse(client_id, error.code or "invalid", error.messages, **extra)
            return
        except PermissionDenied as error:
            await self.refuse(client_id, "forbidden", messages_of(error))
            return
        seq = posted.message.seq
        await self.send_json({"type": "ack", "client_id": client_id, "seq": seq})
        # A new message comes back to this socket with its ring, like to every other socket
        # of the conversation (no read here: it would hold the thread and the interpreter
        # while the other side's copy is on its way). A resend rings nobody: read it.
        if posted.replayed and self.last_sent is not None and self.last_sent < seq:
            await self.flush()

    def _post(self, text: str, client_id: str, rate: RateAnswer) -> actions.Posted:
        actor = lifecycle.citizen(self.user, self.visitor)
        if self.staff:
            # Re-checked on every message, on the account as it is now (the handshake's
            # copy keeps its permissions cached): a role taken away stops the next answer.
            actor = access.staff_now(self.user.pk) or actor
        return actions.message_post(
            conversation_id=self.conversation_id,
            actor=actor,
            text=text,
            client_id=client_id,
            address=self.address,
            rate=rate,
        )

    async def on_typing(self, content: dict) -> None:
        await self.channel_layer.group_send(
            conversation_group(self.conversation_id),
            {"type": "chat.typing", "side": self.side, "from": self.channel_name},
        )

    async def on_read(self, content: dict) -> None:
        seq = content.get("seq")
        # Only what this socket sent can be read, and only forward: the rest costs nothing.
        if not isinstance(seq, int) or seq <= self.read_marked or seq > (self.last_sent or 0):
            return
        self.read_marked = seq
        # Written beside the socket's other frames, not before them; receipts that come
        # while one is being written are one write of the latest (a catch-up's hundred
        # receipts are a few writes).
        if self.read_writer is None or self.read_writer.done():
            self.read_writer = asyncio.ensure_future(self.write_reads())

    async def write_reads(self) -> None:
        while self.read_written < self.read_marked:
            seq = self.read_marked
            try:
                await database_sync_to_async(actions.conversation_mark_read)(
                    conversation_id=self.conversation_id, staff=self.staff, seq=seq
                )
            except Exception:
                # The page's next receipt writes it: nothing is lost but the tick's delay.
                logger.exception("A read mark of conversation %s failed", self.conversation_id)
                self.read_marked = self.read_written
                return
            self.read_written = seq

    async def refuse(self, client_id: str, code: str, messages: list[str], **extra) -> None:
        await self.send_json(
            {
                "type": "error",
                "client_id": client_id,
                "code": code,
                "message": " ".join(messages),
                **extra,
            }
        )

    # --- from the channel layer -------------------------------------------------------
    async def chat_changed(self, event: dict) -> None:
        if self.last_sent is None:
            return
        # A ring is as good as a check: one after a lost ring shows the gap (flush below).
        self.seq_checked = time.monotonic()
        message, snapshot, seq = event.get("message"), event.get("state"), event.get("seq")
        if snapshot is not None and isinstance(seq, int):
            if not self.may_still_read(snapshot):
                await self.lose_access()
                return
            needs_place = not self.staff and snapshot.get("status") == Status.WAITING
            if message is None and seq <= self.last_sent and not needs_place:
                # A new state (a read mark, a rating) after messages this socket has sent.
                await self.send_state_of(snapshot)
                return
            if message is not None and seq <= self.last_sent:
                # Sent already, read from the database after that commit with a state at
                # least as new (this socket's own message, or a doorbell that came late).
                return
            visible = self.staff or not message.get("staff_only") if message else False
            if seq == self.last_sent + 1 and visible and not needs_place:
                self.last_sent = seq
                await self.send_json(selectors.payload_for_side(message, staff=self.staff))
                await self.send_state_of(snapshot)
                return
        await self.flush()

    async def send_state_of(self, snapshot: dict) -> None:
        """A ring's state, unless the page has it already: the ring of every message and
        read mark carries the state, and most change nothing this side shows (the status,
        the other side's read mark, the rating). A catch-up always ends with its state."""
        state = selectors.state_payload(snapshot=snapshot, staff=self.staff)
        if state != self.state_sent:
            await self.send_state_frame(state)
        await self.follow_queue(snapshot["status"])

    async def send_state_frame(self, state: dict) -> None:
        self.state_sent = state
        await self.send_json(state)

    async def chat_queue(self, event: dict) -> None:
        if self.last_sent is not None:
            await self.send_state()

    async def chat_typing(self, event: dict) -> None:
        if self.last_sent is None:
            return
        if event.get("from") != self.channel_name and event.get("side") != self.side:
            await self.send_json({"type": "typing", "side": event.get("side")})

    async def flush(self) -> None:
        """Send a page of what is stored after the last number sent, then the state (which
        says whether more is left: the client asks for it with another hello)."""
        if self.last_sent is None:
            return
        unsent = await database_sync_to_async(self._unsent)()
        if unsent is None:
            await self.lose_access()
            return
        messages, state = unsent
        for payload in messages:
            if payload["seq"] > self.last_sent:
                self.last_sent = payload["seq"]
                await self.send_json(payload)
        self.more = state["more"]
        await self.send_state_frame(state)
        if await self.follow_queue(state["status"]):
            # Joined after that read: read the place again, or a move in between is missed.
            await self.send_state()

    async def send_state(self) -> None:
        state = await database_sync_to_async(self._state)()
        if state is None:
            await self.lose_access()
            return
        await self.send_state_frame(state)
        if await self.follow_queue(state["status"]):
            await self.send_state()

    def _readable(self) -> Conversation | None:
        """The conversation, if this socket may still read it from its side."""
        conversation = Conversation.objects.filter(pk=self.conversation_id).first()
        if conversation is None:
            return None
        side = selectors.may_read(user=self.user, visitor=self.visitor, conversation=conversation)
        if side != self.side:
            return None
        return conversation

    def _unsent(self) -> tuple[list[dict], dict] | None:
        conversation = self._readable()
        if conversation is None:
            return None
        with translation.override(self.language):
            messages = selectors.messages_after(
                conversation_id=self.conversation_id,
                after=self.last_sent or 0,
                staff=self.staff,
                limit=CATCH_UP_PAGE + 1,
            )
            more = len(messages) > CATCH_UP_PAGE
            payloads = [selectors.message_payload(m, staff=self.staff) for m in messages]
            return payloads[:CATCH_UP_PAGE], self._state_of(conversation, more=more)

    def _state(self) -> dict | None:
        conversation = self._readable()
        return None if conversation is None else self._state_of(conversation)

    def _state_of(self, conversation: Conversation, *, more: bool = False) -> dict:
        place = None
        if conversation.status == Status.WAITING and not self.staff:
            place = selectors.queue_place(conversation=conversation)
        return selectors.state_payload(
            snapshot=selectors.conversation_snapshot(conversation),
            staff=self.staff,
            place=place,
            more=more,
        )


class OperatorConsumer(_Guarded):
    """The operator's workspace: being here is "online" while the socket beats."""

    accepted_types = frozenset({"ping"})

    async def admit(self, user) -> bool:
        self.user = user
        if not await database_sync_to_async(user_is_operator)(user):
            return False
        await self.join(QUEUE_GROUP)
        return True

    async def entered(self) -> None:
        self.present = True
        await self.beat()

    async def beat(self) -> None:
        await database_sync_to_async(actions.presence_beat)(
            channel_name=self.channel_name, user=self.user
        )

    async def disconnect(self, code: int) -> None:
        await super().disconnect(code)
        if getattr(self, "present", False):
            await database_sync_to_async(actions.presence_leave)(channel_name=self.channel_name)

    async def on_ping(self, content: dict) -> None:
        await self.beat()
        await self.send_json({"type": "pong"})

    async def chat_queue(self, event: dict) -> None:
        await self.send_json({"type": "queue"})
