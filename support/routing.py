"""WebSocket routes, mounted by portal.asgi under the origin and auth middleware."""

from django.urls import path

from portal.notifications.consumers import NotificationsConsumer

websocket_urlpatterns: list = [
    path("ws/notifications/", NotificationsConsumer.as_asgi()),
]
