"""The WebSocket origin check compares the whole origin — scheme, host and port — with the
handshake's own (Django's CSRF rule), on production settings behind the TLS proxy."""

import pytest

from portal.websocket import websocket_origin_allowed

PRODUCTION = {
    "ALLOWED_HOSTS": ["portal.example"],
    "CSRF_TRUSTED_ORIGINS": [],
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
}


def scope(origin: bytes | None, *, host: bytes = b"portal.example", proto: bytes = b"https"):
    headers = [(b"host", host), (b"x-forwarded-proto", proto)]
    if origin is not None:
        headers.append((b"origin", origin))
    return {"type": "websocket", "scheme": "ws", "headers": headers}


@pytest.fixture
def production(settings):
    for name, value in PRODUCTION.items():
        setattr(settings, name, value)


def test_the_sites_own_origin_is_allowed(production):
    assert websocket_origin_allowed(scope(b"https://portal.example"))
    assert websocket_origin_allowed(scope(b"https://PORTAL.example:443"))


@pytest.mark.parametrize(
    "origin",
    [
        b"http://portal.example",  # the scheme
        b"https://portal.example:8443",  # the port
        b"http://127.0.0.1:9999",  # another site on this machine
        b"https://127.0.0.1:8443",
        b"https://evil.example",
        b"https://portal.example.evil.example",
        b"null",
        b"",
        b"https://portal.example/path",
        b"https://portal.example:99999",
    ],
)
def test_any_other_origin_is_refused(production, origin):
    assert not websocket_origin_allowed(scope(origin))


def test_no_origin_and_a_host_outside_allowed_hosts_are_refused(production):
    assert not websocket_origin_allowed(scope(None))
    assert not websocket_origin_allowed(scope(b"https://evil.example", host=b"evil.example"))


def test_without_the_proxys_https_the_page_is_http(production):
    assert not websocket_origin_allowed(scope(b"https://portal.example", proto=b"http"))
    assert websocket_origin_allowed(scope(b"http://portal.example", proto=b"http"))


def test_trusted_origins_are_allowed_whole(production, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://*.portal.example", "https://help.example"]
    assert websocket_origin_allowed(scope(b"https://chat.portal.example"))
    # "*.x" takes x itself too, as Django's does; not a name that merely ends the same.
    settings.CSRF_TRUSTED_ORIGINS = ["https://*.help.example"]
    assert websocket_origin_allowed(scope(b"https://help.example", host=b"other.example"))
    assert not websocket_origin_allowed(scope(b"https://nothelp.example", host=b"other.example"))
    assert not websocket_origin_allowed(scope(b"http://a.help.example", host=b"other.example"))
    settings.CSRF_TRUSTED_ORIGINS = ["https://*.portal.example", "https://help.example"]
    assert websocket_origin_allowed(scope(b"https://help.example"))
    assert not websocket_origin_allowed(scope(b"http://help.example"))
    assert not websocket_origin_allowed(scope(b"https://help.example:8443"))


def test_a_development_server_on_its_own_port(settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    settings.SECURE_PROXY_SSL_HEADER = None
    dev = {"type": "websocket", "scheme": "ws", "headers": [(b"host", b"127.0.0.1:8102")]}
    assert websocket_origin_allowed(
        {**dev, "headers": dev["headers"] + [(b"origin", b"http://127.0.0.1:8102")]}
    )
    assert not websocket_origin_allowed(
        {**dev, "headers": dev["headers"] + [(b"origin", b"http://127.0.0.1:9999")]}
    )


def test_a_host_header_that_is_no_host_is_refused(production):
    assert not websocket_origin_allowed(
        scope(b"https://portal.example", host=b"portal.example:notaport")
    )


def test_without_a_host_header_the_origins_host_on_the_default_port(settings):
    """Only test clients leave the Host out: the Origin's own host, on the scheme's port."""
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    settings.SECURE_PROXY_SSL_HEADER = None

    def bare(origin: bytes, scheme: str = "ws") -> dict:
        return {"type": "websocket", "scheme": scheme, "headers": [(b"origin", origin)]}

    assert websocket_origin_allowed(bare(b"http://127.0.0.1"))
    assert websocket_origin_allowed(bare(b"https://127.0.0.1", scheme="wss"))
    assert not websocket_origin_allowed(bare(b"http://127.0.0.1:9999"))
    assert not websocket_origin_allowed(bare(b"https://127.0.0.1"))
    assert not websocket_origin_allowed(bare(b"http://evil.example"))
