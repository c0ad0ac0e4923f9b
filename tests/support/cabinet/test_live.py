"""Status changes ring the owner's open pages after commit (the channel layer, no socket)."""

import asyncio

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from portal.live import user_group
from support.appeals.actions.staff import appeal_answer, appeal_comment
from tests.support.appeals.factories import appeal_make, operator_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def listening(citizen, settings):
    """A channel in the citizen's group, as an open page's socket would be.

    In memory whatever the settings: each async_to_sync below runs its own event loop,
    which the Redis layer's connections do not survive (the socket tests cover Redis)."""
    from channels.layers import channel_layers

    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    channel_layers.backends.clear()
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(user_group(citizen.pk), channel)

    def received() -> list[dict]:
        messages = []
        while True:
            try:
                messages.append(async_to_sync(_receive_within)(layer, channel))
            except TimeoutError:
                return messages

    yield received
    async_to_sync(layer.group_discard)(user_group(citizen.pk), channel)
    channel_layers.backends.clear()


async def _receive_within(layer, channel):
    return await asyncio.wait_for(layer.receive(channel), timeout=0.2)


def test_an_answer_rings_the_author_after_commit(
    citizen, listening, django_capture_on_commit_callbacks
):
    appeal = appeal_make(author=citizen)
    listening()  # whatever registration sent
    with django_capture_on_commit_callbacks(execute=False) as pending:
        appeal_answer(appeal=appeal, actor=operator_make(), text="Ответ по существу.")
    # Nothing before the commit.
    assert listening() == []
    for callback in pending:
        callback()
    events = [m for m in listening() if m["kind"] == "status"]
    assert events[-1]["data"]["number"] == appeal.number
    assert events[-1]["data"]["title"] == f"Обращение № {appeal.number}: Дан ответ"
    assert events[-1]["type"] == "user.event"


def test_an_internal_comment_does_not_ring(citizen, listening, django_capture_on_commit_callbacks):
    appeal = appeal_make(author=citizen)
    with django_capture_on_commit_callbacks(execute=True):
        appeal_comment(appeal=appeal, actor=operator_make(), text="Только для сотрудников")
    assert listening() == []


def test_the_author_page_carries_the_live_regions_and_others_do_not(client, citizen):
    appeal = appeal_make(author=citizen)
    client.force_login(citizen)
    body = client.get(appeal.get_absolute_url()).content.decode()
    assert 'data-live-refresh="#appeal-timeline"' in body
    assert "js/live.js" in body
    assert 'role="status" aria-live="polite" data-live-status' in body
