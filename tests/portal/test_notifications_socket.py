"""/ws/notifications/: who may open it, what it hears, and when it closes."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.sessions.models import Session

from portal.applications.actions import application_status_change
from portal.applications.lifecycle import Role
from portal.applications.models import Status
from portal.asgi import application as asgi_app
from portal.notifications.consumers import SIGNED_OUT
from tests.conftest import AxesAwareClient
from tests.portal.application_factories import application
from tests.portal.factories import UserFactory

ORIGIN = (b"origin", b"http://127.0.0.1")
PATH = "/ws/notifications/"

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@database_sync_to_async
def signed_in(username: str) -> tuple:
    user = UserFactory(username=username)
    client = AxesAwareClient()
    client.force_login(user)
    return user, client


def cookie(client) -> tuple[bytes, bytes]:
    return (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())


async def socket_for(client, *, origin=ORIGIN) -> WebsocketCommunicator:
    headers = [cookie(client)] + ([origin] if origin else [])
    return WebsocketCommunicator(asgi_app, PATH, headers=headers)


async def test_missing_origin_is_refused():
    _, client = await signed_in("ws-citizen")
    communicator = await socket_for(client, origin=None)
    connected, _ = await communicator.connect()
    await communicator.disconnect()
    assert not connected


async def test_foreign_origin_is_refused():
    _, client = await signed_in("ws-citizen")
    communicator = await socket_for(client, origin=(b"origin", b"https://evil.example"))
    connected, _ = await communicator.connect()
    await communicator.disconnect()
    assert not connected


async def test_anonymous_is_refused():
    communicator = WebsocketCommunicator(asgi_app, PATH, headers=[ORIGIN])
    connected, _ = await communicator.connect()
    await communicator.disconnect()
    assert not connected


async def test_status_change_reaches_the_owner_and_nobody_else():
    user, client = await signed_in("ws-owner")
    _, other_client = await signed_in("ws-other")
    mine = await socket_for(client)
    theirs = await socket_for(other_client)
    assert (await mine.connect())[0]
    assert (await theirs.connect())[0]
    try:
        app = await database_sync_to_async(application)(user=user)
        await database_sync_to_async(application_status_change)(
            application=app, to=Status.IN_REVIEW, role=Role.DEPARTMENT
        )
        message = await mine.receive_json_from(timeout=2)
        assert message["kind"] == "notification"
        assert message["data"]["title"] == f"Заявление № {app.number}: На рассмотрении"
        assert message["data"]["url"] == f"/my/applications/{app.number}/"
        assert await theirs.receive_nothing(timeout=0.3)
    finally:
        await mine.disconnect()
        await theirs.disconnect()


async def test_logout_closes_that_sessions_socket():
    user, client = await signed_in("ws-leaver")
    communicator = await socket_for(client)
    assert (await communicator.connect())[0]
    await database_sync_to_async(client.logout)()
    closed = await communicator.receive_output(timeout=2)
    assert closed == {"type": "websocket.close", "code": SIGNED_OUT}
    await communicator.disconnect()


async def test_a_session_that_ended_without_logout_hears_nothing():
    user, client = await signed_in("ws-expired")
    communicator = await socket_for(client)
    assert (await communicator.connect())[0]
    await database_sync_to_async(Session.objects.all().delete)()
    app = await database_sync_to_async(application)(user=user)
    await database_sync_to_async(application_status_change)(
        application=app, to=Status.CANCELLED, role=Role.STAFF
    )
    closed = await communicator.receive_output(timeout=2)
    assert closed == {"type": "websocket.close", "code": SIGNED_OUT}
    await communicator.disconnect()
