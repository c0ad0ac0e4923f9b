"""The real server (daphne started as in production) answers requests Twisted would drop."""

import os
import socket

import pytest

from portal.daphne_process import DaphneDidNotStart, daphne_running


@pytest.fixture(scope="module")
def daphne(tmp_path_factory):
    """`daphne portal.asgi:application` on a free port; none of these requests reach the
    database, so an empty SQLite file will do."""
    database = tmp_path_factory.mktemp("daphne") / "db.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "DEBUG": "1",
        "LOG_LEVEL": "ERROR",
    }
    env.pop("REDIS_URL", None)
    try:
        with daphne_running(env) as server:
            yield server.port
    except DaphneDidNotStart as error:
        pytest.fail(f"daphne did not start: {error}")


def exchange(port: int, request: bytes) -> bytes:
    """Send a raw request and read until the server closes (b"" if it said nothing)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def get(port: int, target: str, headers: str = "") -> bytes:
    return exchange(
        port,
        f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{headers}\r\n".encode(),
    )


def status_line(response: bytes) -> bytes:
    return response.split(b"\r\n", 1)[0]


def test_a_long_but_allowed_url_is_served(daphne):
    response = get(daphne, "/healthz/?q=" + "a" * 8000)
    assert status_line(response) == b"HTTP/1.1 200 OK"


@pytest.mark.parametrize("length", [17_000, 100_000, 1_000_000])
def test_a_url_over_16_kb_answers_414(daphne, length):
    response = get(daphne, "/help/faq/?q=" + "a" * length)
    assert status_line(response) == b"HTTP/1.1 414 URI Too Long"


def test_a_header_line_over_16_kb_answers_431(daphne):
    response = get(daphne, "/healthz/", headers=f"X-Long: {'b' * 17_000}\r\n")
    assert status_line(response) == b"HTTP/1.1 431 Request Header Fields Too Large"


def test_the_server_still_serves_after_refusing(daphne):
    get(daphne, "/?q=" + "a" * 20_000)
    assert status_line(get(daphne, "/healthz/")) == b"HTTP/1.1 200 OK"


def test_a_url_just_under_the_limit_is_served_with_its_headers(daphne):
    target = "/healthz/?q=" + "a" * (16_300 - len("GET /healthz/?q= HTTP/1.1"))
    response = get(daphne, target, headers="User-Agent: " + "u" * 300 + "\r\n")
    assert status_line(response) == b"HTTP/1.1 200 OK"


def test_too_many_header_bytes_in_all_answer_431(daphne):
    headers = "".join(f"X-Filler-{n}: {'c' * 8000}\r\n" for n in range(5))
    response = get(daphne, "/healthz/", headers=headers)
    assert status_line(response) == b"HTTP/1.1 431 Request Header Fields Too Large"


def test_websocket_handshake_without_a_route_answers_403(daphne):
    response = exchange(
        daphne,
        b"GET /ws/nowhere/ HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://127.0.0.1\r\n"
        b"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
        b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
    )
    assert status_line(response).startswith(b"HTTP/1.1 403 ")
