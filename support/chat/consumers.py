"""The chat's sockets: thin, every write through an action, every read through a selector.

A socket remembers the last number it sent. Any ring from the channel layer makes it read
what is stored after that number and send it, so it sends every message once and in order
whatever the layer loses or repeats; a reconnecting client says where it stopped ("hello").
"""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from support.appeals.roles import user_is_operator
from support.chat import actions, lifecycle, selectors
from support.chat.events import QUEUE_GROUP, conversation_group, session_group
from support.chat.models import Conversation, Status
from support.chat.rules import BAD_CLIENT_ID

CLOSE_SIGNED_OUT = 4401
CLOSE_FORBIDDEN = 4403


class _Guarded(AsyncJsonWebsocketConsumer):
    """Signed-in people only; the socket closes when its session signs out."""

    groups_joined: list[str]

    async def connect(self) -> None:
        self.groups_joined = []
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        if not await self.admit(user):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        session = self.scope.get("session")
        if session is not None and session.session_key:
            await self.join(session_group(session.session_key))
        await self.accept()
        await self.entered()

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
        if getattr(self, "present", False):
            await database_sync_to_async(actions.presence_leave)(channel_name=self.channel_name)

    async def session_end(self, event: dict) -> None:
        await self.close(code=CLOSE_SIGNED_OUT)

    async def receive_json(self, content, **kwargs) -> None:
        if not isinstance(content, dict):
            return
        handler = getattr(self, f"on_{content.get('type')}", None)
        if handler is not None and content.get("type") in self.accepted_types:
            await handler(content)

    accepted_types: frozenset[str] = frozenset()

    @classmethod
    async def decode_json(cls, text_data):
        try:
            return await super().decode_json(text_data)
        except ValueError:
            return None


class ChatConsumer(_Guarded):
    """One conversation, from the citizen's side or from staff's."""

    accepted_types = frozenset({"hello", "message", "typing", "read", "ping"})

    async def admit(self, user) -> bool:
        self.user = user
        self.conversation_id = int(self.scope["url_route"]["kwargs"]["conversation_id"])
        self.side = await database_sync_to_async(self._side)()
        if self.side is None:
            return False
        self.staff = self.side == "staff"
        self.last_sent: int | None = None  # nothing until the client says where it stopped
        await self.join(conversation_group(self.conversation_id))
        await self.follow_queue(self.status)
        return True

    def _side(self) -> str | None:
        conversation = Conversation.objects.filter(pk=self.conversation_id).first()
        if conversation is None:
            return None
        side = selectors.may_read(user=self.user, conversation=conversation)
        if side == "staff" and not user_is_operator(self.user):
            return None
        self.language = conversation.language
        self.status = conversation.status
        return side

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

    async def entered(self) -> None:
        self.present = True
        await database_sync_to_async(actions.presence_enter)(
            channel_name=self.channel_name,
            user=self.user,
            conversation_id=self.conversation_id,
            is_operator=False,
        )

    # --- from the client ------------------------------------------------------------
    async def on_hello(self, content: dict) -> None:
        after = content.get("after")
        self.last_sent = after if isinstance(after, int) and after >= 0 else 0
        await self.flush()

    async def on_ping(self, content: dict) -> None:
        last_seq = await database_sync_to_async(self._ping)()
        # The net under the doorbell: a ring the layer lost is made up for within a ping.
        if self.last_sent is not None and last_seq > self.last_sent:
            await self.flush()
        await self.send_json({"type": "pong"})

    def _ping(self) -> int:
        actions.presence_enter(
            channel_name=self.channel_name,
            user=self.user,
            conversation_id=self.conversation_id,
            is_operator=False,
        )
        return selectors.conversation_last_seq(conversation_id=self.conversation_id)

    async def on_message(self, content: dict) -> None:
        client_id = content.get("client_id")
        text = content.get("text")
        if not isinstance(client_id, str) or not isinstance(text, str):
            await self.refuse(str(client_id or ""), "bad", [str(BAD_CLIENT_ID)])
            return
        try:
            posted = await database_sync_to_async(self._post)(text, client_id)
        except ValidationError as error:
            await self.refuse(client_id, error.code or "invalid", error.messages)
            return
        except PermissionDenied as error:
            await self.refuse(client_id, "forbidden", lifecycle.messages_of(error))
            return
        seq = posted.message.seq
        await self.send_json({"type": "ack", "client_id": client_id, "seq": seq})
        # A new message comes back to this socket with its ring, like to every other socket
        # of the conversation (no read here: it would hold the thread and the interpreter
        # while the other side's copy is on its way). A resend rings nobody: read it.
        if posted.replayed and self.last_sent is not None and self.last_sent < seq:
            await self.flush()

    def _post(self, text: str, client_id: str) -> actions.Posted:
        actor = lifecycle.citizen(self.user)
        if self.staff:
            # Re-checked on every message: a role taken away stops the next answer.
            actor = lifecycle.staff(self.user) or actor
        return actions.message_post(
            conversation_id=self.conversation_id, actor=actor, text=text, client_id=client_id
        )

    async def on_typing(self, content: dict) -> None:
        await self.channel_layer.group_send(
            conversation_group(self.conversation_id),
            {"type": "chat.typing", "side": self.side, "from": self.channel_name},
        )

    async def on_read(self, content: dict) -> None:
        seq = content.get("seq")
        if isinstance(seq, int) and seq > 0:
            await database_sync_to_async(actions.conversation_mark_read)(
                conversation_id=self.conversation_id, staff=self.staff, seq=seq
            )

    async def refuse(self, client_id: str, code: str, messages: list[str]) -> None:
        await self.send_json(
            {"type": "error", "client_id": client_id, "code": code, "message": " ".join(messages)}
        )

    # --- from the channel layer -------------------------------------------------------
    async def chat_changed(self, event: dict) -> None:
        if self.last_sent is None:
            return
        message, snapshot, seq = event.get("message"), event.get("state"), event.get("seq")
        if message is not None and snapshot is not None and isinstance(seq, int):
            if seq <= self.last_sent:
                # Sent already, read from the database after that commit with a state at
                # least as new (this socket's own message, or a doorbell that came late).
                return
            visible = self.staff or not message.get("staff_only")
            needs_place = not self.staff and snapshot.get("status") == Status.WAITING
            if seq == self.last_sent + 1 and visible and not needs_place:
                self.last_sent = seq
                await self.send_json(message)
                await self.send_json(selectors.state_payload(snapshot=snapshot, staff=self.staff))
                await self.follow_queue(snapshot["status"])
                return
        await self.flush()

    async def chat_queue(self, event: dict) -> None:
        if self.last_sent is not None:
            await self.send_state()

    async def chat_typing(self, event: dict) -> None:
        if event.get("from") != self.channel_name and event.get("side") != self.side:
            await self.send_json({"type": "typing", "side": event.get("side")})

    async def flush(self) -> None:
        """Send what is stored after the last number sent, then the conversation's state."""
        if self.last_sent is None:
            return
        await self.send_unsent(*await database_sync_to_async(self._unsent)())

    async def send_unsent(self, messages: list[dict], state: dict) -> None:
        for payload in messages:
            if payload["seq"] > self.last_sent:
                self.last_sent = payload["seq"]
                await self.send_json(payload)
        await self.send_json(state)
        if await self.follow_queue(state["status"]):
            # Joined after that read: read the place again, or a move in between is missed.
            await self.send_state()

    async def send_state(self) -> None:
        state = await database_sync_to_async(self._state)()
        await self.send_json(state)
        if await self.follow_queue(state["status"]):
            await self.send_state()

    def _unsent(self) -> tuple[list[dict], dict]:
        with translation.override(self.language):
            messages = selectors.messages_after(
                conversation_id=self.conversation_id, after=self.last_sent or 0, staff=self.staff
            )
            return [selectors.message_payload(m) for m in messages], self._state()

    def _state(self) -> dict:
        conversation = Conversation.objects.get(pk=self.conversation_id)
        place = None
        if conversation.status == Status.WAITING and not self.staff:
            place = selectors.queue_place(conversation=conversation)
        return selectors.state_payload(
            snapshot=selectors.conversation_snapshot(conversation), staff=self.staff, place=place
        )


class OperatorConsumer(_Guarded):
    """The operator's workspace: being here is "online"; the queue rings it to redraw."""

    accepted_types = frozenset({"ping"})

    async def admit(self, user) -> bool:
        self.user = user
        allowed = await database_sync_to_async(user_is_operator)(user)
        if not (allowed and user.is_staff):
            return False
        await self.join(QUEUE_GROUP)
        return True

    async def entered(self) -> None:
        self.present = True
        await database_sync_to_async(actions.presence_enter)(
            channel_name=self.channel_name, user=self.user, conversation_id=None, is_operator=True
        )

    async def on_ping(self, content: dict) -> None:
        await self.entered()
        await self.send_json({"type": "pong"})

    async def chat_queue(self, event: dict) -> None:
        await self.send_json({"type": "queue"})
