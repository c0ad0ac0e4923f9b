"""WebSocket routes, mounted by portal.asgi under the origin and auth middleware."""

websocket_urlpatterns: list = []
