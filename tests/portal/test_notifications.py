"""The inbox and its doorbell: stored first, announced to the user's sockets after commit."""

import asyncio

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from portal.live import user_group
from portal.notifications import actions, selectors
from portal.notifications.models import NotificationEvent

pytestmark = pytest.mark.django_db


def _listen(user_id: int) -> str:
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(user_group(user_id), channel)
    return channel


def _received(channel: str) -> dict | None:
    async def once():
        try:
            return await asyncio.wait_for(get_channel_layer().receive(channel), 2)
        except TimeoutError:
            return None

    return async_to_sync(once)()


def test_a_notification_is_stored_then_announced_after_commit(
    citizen, other_citizen, django_capture_on_commit_callbacks
):
    channel = _listen(citizen.pk)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        actions.notification_send(
            user=citizen, event=NotificationEvent.STATUS_CHANGED, title="Статус изменён"
        )
    assert selectors.unread_count(user=citizen) == 1
    assert selectors.unread_count(user=other_citizen) == 0
    assert len(callbacks) == 1  # nothing rings before the commit
    callbacks[0]()
    message = _received(channel)
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
