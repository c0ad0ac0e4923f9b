"""The inbox and its doorbell: stored first, announced to the user's sockets after commit."""

import asyncio

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer

from portal.live import user_group
from portal.notifications import actions, selectors
from portal.notifications.models import NotificationEvent

pytestmark = pytest.mark.django_db


def _heard(user_id: int, action) -> dict | None:
    """What a socket of the user's hears while `action` runs: listening and ringing on one
    event loop, as in daphne (a Pub/Sub layer's subscriptions belong to their loop)."""

    async def listen():
        layer = get_channel_layer()
        channel = await layer.new_channel()
        await layer.group_add(user_group(user_id), channel)
        await sync_to_async(action)()
        try:
            return await asyncio.wait_for(layer.receive(channel), 2)
        except TimeoutError:
            return None

    return async_to_sync(listen)()


def test_a_notification_is_stored_then_announced_after_commit(
    citizen, other_citizen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        actions.notification_send(
            user=citizen, event=NotificationEvent.STATUS_CHANGED, title="Статус изменён"
        )
    assert selectors.unread_count(user=citizen) == 1
    assert selectors.unread_count(user=other_citizen) == 0
    assert len(callbacks) == 1  # nothing rings before the commit
    message = _heard(citizen.pk, callbacks[0])
    assert message is not None
    assert message["kind"] == "notification"
    assert message["data"]["title"] == "Статус изменён" and message["data"]["unread"] == 1


def test_marking_read_touches_only_the_users_own(citizen, other_citizen):
    mine = actions.notification_send(user=citizen, event=NotificationEvent.ANSWER_GIVEN, title="a")
    actions.notification_send(user=citizen, event=NotificationEvent.ANSWER_GIVEN, title="b")
    theirs = actions.notification_send(
        user=other_citizen, event=NotificationEvent.ANSWER_GIVEN, title="c"
    )
    assert actions.notifications_mark_read(user=citizen, ids=[mine.pk, theirs.pk]) == 1
    assert selectors.unread_count(user=citizen) == 1
    assert selectors.unread_count(user=other_citizen) == 1
    assert actions.notifications_mark_read(user=citizen) == 1
    assert selectors.unread_count(user=citizen) == 0
