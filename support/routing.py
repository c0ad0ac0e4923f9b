"""WebSocket routes, mounted by portal.asgi under the origin and auth middleware."""

from django.urls import path

from portal.notifications.consumers import NotificationsConsumer
from support.chat.consumers import ChatConsumer, OperatorConsumer

websocket_urlpatterns: list = [
    path("ws/notifications/", NotificationsConsumer.as_asgi()),
    path("ws/chat/operator/", OperatorConsumer.as_asgi()),
    path("ws/chat/<int:conversation_id>/", ChatConsumer.as_asgi()),
]
