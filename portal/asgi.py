"""HTTP and WebSocket in one ASGI application, served by daphne."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
# Django must be set up before anything imports models (the routers below).
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.urls import re_path  # noqa: E402

from portal.websocket import UnroutedConsumer  # noqa: E402
from support.routing import websocket_urlpatterns  # noqa: E402

# The catch-all comes last: whatever no route takes (nested routers included) is refused.
websocket_routes = [*websocket_urlpatterns, re_path(r"", UnroutedConsumer.as_asgi())]

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_routes))),
    }
)
