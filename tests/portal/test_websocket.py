"""WebSocket handshakes to a path without a route are refused cleanly."""

import logging

import pytest
from channels.testing import WebsocketCommunicator

from portal.asgi import application

ORIGIN = (b"origin", b"http://127.0.0.1")


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ["/ws/nowhere/", "/ws/chat/", "/", "/ws/../etc/passwd"])
async def test_handshake_without_a_route_is_refused_without_a_traceback(path, caplog):
    communicator = WebsocketCommunicator(application, path, headers=[ORIGIN])
    with caplog.at_level(logging.INFO):
        connected, _ = await communicator.connect()
    await communicator.disconnect()
    assert not connected
    assert any(
        record.levelno == logging.INFO and "no route" in record.getMessage()
        for record in caplog.records
    )
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_foreign_origin_is_still_refused_by_the_origin_check(caplog):
    communicator = WebsocketCommunicator(
        application, "/ws/nowhere/", headers=[(b"origin", b"https://evil.example")]
    )
    with caplog.at_level(logging.INFO):
        connected, _ = await communicator.connect()
    await communicator.disconnect()
    assert not connected
    # Refused before routing: the fallback never saw it.
    assert not any("no route" in record.getMessage() for record in caplog.records)
