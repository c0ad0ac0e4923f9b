"""HTTP and WebSocket in one ASGI application, served by daphne."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
# Django must be set up before anything imports models (the routers below); what
# django.core.asgi.get_asgi_application() does, with the portal's handler.
django.setup(set_prefix=False)

from portal.asgi_http import SyncChainASGIHandler  # noqa: E402

django_asgi_app = SyncChainASGIHandler()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import re_path  # noqa: E402

from portal.websocket import SameOriginValidator, UnroutedConsumer  # noqa: E402
from support.routing import websocket_urlpatterns  # noqa: E402

# The catch-all comes last: whatever no route takes (nested routers included) is refused.
websocket_routes = [*websocket_urlpatterns, re_path(r"", UnroutedConsumer.as_asgi())]

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": SameOriginValidator(AuthMiddlewareStack(URLRouter(websocket_routes))),
    }
)
