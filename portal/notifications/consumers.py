"""One WebSocket per open page of a signed-in person (/ws/notifications/): the doorbell
that tells the page something of theirs changed. The page then re-reads what it shows."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from portal.live import user_group

# The page's script does not reconnect after this code: the person is signed out.
SIGNED_OUT = 4001


class NotificationsConsumer(AsyncJsonWebsocketConsumer):
    """Joins the person's group; closes when their session ends."""

    group: str | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        session = self.scope.get("session")
        if user is None or not user.is_authenticated or session is None:
            # Closing before accepting: the handshake is refused (403).
            await self.close()
            return
        self.session_key = session.session_key
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        # The page only listens; whatever it sends is a reason to re-check the session.
        if not await self._session_alive():
            await self.close(code=SIGNED_OUT)

    async def user_event(self, event: dict) -> None:
        # A session that ended without a logout (expired, flushed elsewhere) hears nothing.
        if not await self._session_alive():
            await self.close(code=SIGNED_OUT)
            return
        await self.send_json({"kind": event["kind"], "data": event["data"]})

    async def user_logout(self, event: dict) -> None:
        if event.get("session_key") in (None, self.session_key):
            await self.close(code=SIGNED_OUT)

    async def _session_alive(self) -> bool:
        session = self.scope["session"]
        return bool(self.session_key) and await database_sync_to_async(session.exists)(
            self.session_key
        )
