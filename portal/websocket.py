"""The WebSocket fallback: a handshake to a path without a route is refused, not a 500."""

import logging

from channels.generic.websocket import AsyncWebsocketConsumer

logger = logging.getLogger(__name__)


class UnroutedConsumer(AsyncWebsocketConsumer):
    """Mounted last in the root WebSocket router; anything that reaches it has no route.

    Closing before accepting makes daphne answer the handshake with 403. Without it,
    channels' URLRouter raises ValueError and daphne logs a traceback and answers 500 for
    every scanner that probes /ws/anything.
    """

    async def connect(self) -> None:
        logger.info("WebSocket handshake refused: no route for %s", self.scope.get("path"))
        await self.close()
