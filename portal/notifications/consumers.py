"""One WebSocket per open page of a signed-in person (/ws/notifications/): the doorbell
that tells the page something of theirs changed. The page then re-reads what it shows."""

import time

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from portal.live import user_group

# The page's script does not reconnect after this code: the person is signed out.
SIGNED_OUT = 4001
# A session that ended without a logout (expired, flushed elsewhere) is noticed at the next
# event after this many seconds: one query per socket then, not one per event.
SESSION_RECHECK_SECONDS = 30


class NotificationsConsumer(AsyncJsonWebsocketConsumer):
    """Joins the person's group; closes when their session ends."""

    group: str | None = None
    session_checked_at: float = 0.0

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
        if not self.session_key:
            return False
        now = time.monotonic()
        if self.session_checked_at and now - self.session_checked_at < SESSION_RECHECK_SECONDS:
            return True
        alive = await database_sync_to_async(self.scope["session"].exists)(self.session_key)
        self.session_checked_at = now
        return alive
