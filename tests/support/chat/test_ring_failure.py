"""The chat rings through the portal's one after-commit ring: when the channel layer fails
after the commit (Redis away, say), the step stands, the request answers as usual, and the
failure is logged. What the ring announces is already stored; a socket reads it on its next
ring or reconnect.

Real commits (transaction=True), so the rings run inside the requests, as in production."""

import logging

import pytest
from channels.layers import InMemoryChannelLayer, channel_layers
from django.urls import reverse

from support.chat.models import Conversation, Message, SenderKind, Status
from tests.support.chat.factories import chat_make

pytestmark = pytest.mark.django_db(transaction=True)


class BrokenLayer(InMemoryChannelLayer):
    async def group_send(self, group, message):
        raise ConnectionError("the channel layer is away")


@pytest.fixture
def broken_layer(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": f"{__name__}.BrokenLayer"}}
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


def test_a_message_is_stored_and_answered_when_the_ring_fails(
    client, citizen, broken_layer, caplog
):
    conversation = chat_make(user=citizen)
    client.force_login(citizen)
    with caplog.at_level(logging.ERROR):
        response = client.post(
            reverse("chat:send", args=[conversation.pk]),
            {"text": "как оплатить пошлину", "client_id": "ring-1"},
        )
    assert response.status_code == 302
    mine = Message.objects.get(conversation=conversation, client_id="ring-1")
    assert mine.sender_kind == SenderKind.CITIZEN
    # The bot answered in the same step, after the citizen's message.
    assert Message.objects.filter(
        conversation=conversation, sender_kind=SenderKind.BOT, seq__gt=mine.seq
    ).exists()
    assert "the channel layer is away" in caplog.text


def test_an_operators_take_and_close_stand_when_the_rings_fail(
    client, people, broken_layer, caplog
):
    citizen, operator = people["citizen"], people["operator"]
    conversation = chat_make(user=citizen, status=Status.WAITING, operator=operator)
    client.force_login(operator)
    with caplog.at_level(logging.ERROR):
        taken = client.post(reverse("chat:operator-act", args=[conversation.pk, "take"]))
        closed = client.post(
            reverse("chat:operator-act", args=[conversation.pk, "close"]),
            {"resolution": "Подсказали, где оплатить"},
        )
    assert taken.status_code == closed.status_code == 302
    conversation = Conversation.objects.get(pk=conversation.pk)
    assert (conversation.status, conversation.operator, conversation.resolution) == (
        Status.CLOSED,
        operator,
        "Подсказали, где оплатить",
    )
    # Both the conversation's ring and the queue's failed, and were only logged.
    assert caplog.text.count("the channel layer is away") >= 2


@pytest.mark.asyncio
async def test_a_socket_message_is_stored_and_acknowledged_when_its_ring_fails(
    people, broken_layer, monkeypatch
):
    """A socket's rings are sent from its event loop after its database work returns
    (`portal.live.rings_send`): failing there, they are logged as after any commit."""
    from channels.db import database_sync_to_async

    from portal import live
    from tests.support.chat.test_consumers import socket, until

    logged = []
    monkeypatch.setattr(
        live.logger, "exception", lambda message, *args: logged.append(message % args)
    )
    citizen, operator = people["citizen"], people["operator"]
    conversation = await database_sync_to_async(chat_make)(
        user=citizen, status=Status.OPERATOR, operator=operator
    )
    async with socket(f"/ws/chat/{conversation.pk}/", user=citizen) as mine:
        await mine.send_json_to({"type": "hello", "after": 0})
        await until(mine, "state")
        await mine.send_json_to({"type": "message", "client_id": "s1", "text": "Где ответ?"})
        ack = await until(mine, "ack", client_id="s1")
    stored = await database_sync_to_async(
        lambda: Message.objects.get(conversation=conversation, client_id="s1")
    )()
    assert ack["seq"] == stored.seq
    assert logged == [f"A ring to chat.{conversation.pk} failed after the commit"]
