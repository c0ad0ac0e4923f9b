"""The baselines for bench/chat_load.py, under the same daphne and settings as the chat.

- `/ws/echo/`: a one-socket echo with no session, no database and no channel layer: what a
  WebSocket round trip costs by itself.
- `/ws/relay/<room>/`: a bare relay: every socket of a room joins the room's group on the
  configured channel layer (in-memory, or Redis when REDIS_URL is set), and a frame received
  on one socket is group-sent to all of them. No session, no database: the chat's delivery
  (one socket to another through the layer's groups) minus everything the chat adds. It
  takes the page's other frames as the chat's transport does: a ping is answered with a
  pong from the socket itself, a read receipt is read and dropped (nothing to store).
"""

import json
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()

from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402


class Echo(AsyncWebsocketConsumer):
    async def receive(self, text_data=None, bytes_data=None):
        await self.send(text_data=text_data)


RELAY_PONG = '{"type": "pong"}'


class Relay(AsyncWebsocketConsumer):
    groups: list[str]

    async def websocket_connect(self, message):
        # channels joins `self.groups` before connect() and leaves them on disconnect.
        self.groups = [f"relay.{self.scope['url_route']['kwargs']['room']}"]
        await super().websocket_connect(message)

    async def receive(self, text_data=None, bytes_data=None):
        kind = json.loads(text_data).get("type")
        if kind == "ping":
            await self.send(text_data=RELAY_PONG)
        elif kind != "read":
            await self.channel_layer.group_send(
                self.groups[0], {"type": "relay", "text": text_data}
            )

    async def relay(self, event):
        await self.send(text_data=event["text"])


application = ProtocolTypeRouter(
    {
        "websocket": URLRouter(
            [
                path("ws/echo/", Echo.as_asgi()),
                path("ws/relay/<int:room>/", Relay.as_asgi()),
            ]
        )
    }
)
