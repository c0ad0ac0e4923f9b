"""WebSocket handshakes: the origin check, and the fallback that refuses a path without a
route (not a 500)."""

import logging
from urllib.parse import urlsplit

from channels.generic.websocket import AsyncWebsocketConsumer
from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host

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


DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin_parts(origin: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an origin, the port made explicit; None if it is not one."""
    try:
        parts = urlsplit(origin)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname or parts.path not in ("", "/"):
        return None
    return scheme, parts.hostname.lower(), port or DEFAULT_PORTS[scheme]


def _trusted(origin: tuple[str, str, int], pattern: str) -> bool:
    """CSRF_TRUSTED_ORIGINS' way: an exact origin, or "https://*.example.org"."""
    if "://*." in pattern:
        scheme, _, rest = pattern.partition("://*.")
        wanted = _origin_parts(f"{scheme}://{rest}")
        return (
            wanted is not None
            and origin[0] == wanted[0]
            and origin[2] == wanted[2]
            and (origin[1] == wanted[1] or origin[1].endswith("." + wanted[1]))
        )
    return origin == _origin_parts(pattern)


def websocket_origin_allowed(scope: dict) -> bool:
    """Django's CSRF rule for a handshake: the Origin is the page's own origin (the scheme,
    the Host with its port, the host in ALLOWED_HOSTS), or one of CSRF_TRUSTED_ORIGINS.
    Scheme and port count: http://host:9999 is not https://host."""
    headers = {name.lower(): value for name, value in scope.get("headers", [])}
    # Latin-1 decodes any bytes (HTTP headers are bytes): nothing to catch.
    origin = _origin_parts(headers.get(b"origin", b"").decode("latin1"))
    host = headers.get(b"host", b"").decode("latin1")
    if origin is None:  # none, "null", or not an origin at all
        return False
    if any(_trusted(origin, pattern) for pattern in settings.CSRF_TRUSTED_ORIGINS):
        return True
    secure = scope.get("scheme") in ("wss", "https")
    proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if proxy:
        # The same header Django trusts for request.is_secure() behind the TLS proxy.
        header, value = proxy
        name = header.removeprefix("HTTP_").replace("_", "-").lower().encode()
        secure = headers.get(name, b"").decode("latin1").split(",")[0].strip() == value
    scheme = "https" if secure else "http"
    # Without a Host header (test clients only), the host is the Origin's own, on the
    # default port of the connection's scheme.
    own = _origin_parts(f"{scheme}://{host or origin[1]}")
    if own is None:
        return False
    domain, _ = split_domain_port(host or origin[1])
    return bool(domain) and validate_host(domain, settings.ALLOWED_HOSTS) and origin == own


class SameOriginValidator:
    """Refuses a WebSocket handshake whose Origin is not allowed (`websocket_origin_allowed`)."""

    def __init__(self, application) -> None:
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and not websocket_origin_allowed(scope):
            logger.info("WebSocket handshake refused: origin not allowed")
            return await WebsocketDenier()(scope, receive, send)
        return await self.application(scope, receive, send)
