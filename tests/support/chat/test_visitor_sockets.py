"""A visitor's socket: their session's own conversation only (4403 for anyone else's), the
Origin check, the bot, the frame budgets, and access asked again on delivery."""

import contextlib

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.urls import reverse

from portal.asgi import application
from portal.visitors import visitor_key
from support.chat import actions, consumers, lifecycle
from support.chat.models import Conversation, Message
from tests.support.chat.factories import chat_make
from tests.support.chat.frames import greeted, texts_until_forbidden
from tests.support.chat.test_consumers import ORIGIN, messages_until, until

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


def _visitor_started() -> tuple[str, Conversation]:
    """A visitor's session cookie and the chat they started in it (through the page)."""
    client = Client()
    assert client.post(reverse("chat:start")).status_code == 302
    session_key = client.cookies["sessionid"].value
    key = visitor_key(user=None, session_key=session_key)
    return session_key, Conversation.objects.get(visitor=key)


visitor_started = database_sync_to_async(_visitor_started)


@contextlib.asynccontextmanager
async def visitor_socket(path: str, session_key: str | None, *, origin=ORIGIN, expect=True):
    headers = [origin] if origin else []
    if session_key:
        headers.append((b"cookie", f"sessionid={session_key}".encode()))
    communicator = WebsocketCommunicator(application, path, headers=headers)
    try:
        connected, code = await communicator.connect()
        assert connected == expect
        if not expect:
            assert code == consumers.CLOSE_FORBIDDEN
        yield communicator
    finally:
        await communicator.disconnect()


async def test_a_visitor_talks_to_the_bot_over_the_socket(people):
    session_key, conversation = await visitor_started()
    async with visitor_socket(f"/ws/chat/{conversation.pk}/", session_key) as ws:
        await ws.send_json_to({"type": "hello", "after": 0})
        assert (await messages_until(ws, 1))[0]["sender"] == "bot"
        await ws.send_json_to({"type": "message", "client_id": "v1", "text": "<b>пароль</b>"})
        assert (await until(ws, "ack", client_id="v1"))["seq"] == 2
        mine, bot = await messages_until(ws, 3)
        assert mine["text"] == "<b>пароль</b>" and mine["sender"] == "citizen"
        assert bot["sender"] == "bot"
        # A resend after a lost answer finds the stored message.
        await ws.send_json_to({"type": "message", "client_id": "v1", "text": "<b>пароль</b>"})
        assert (await until(ws, "ack", client_id="v1"))["seq"] == 2
    assert await database_sync_to_async(Message.objects.filter(client_id="v1").count)() == 1


async def test_another_visitors_socket_is_refused(people):
    _, conversation = await visitor_started()
    stranger_key, _ = await visitor_started()
    async with visitor_socket(f"/ws/chat/{conversation.pk}/", stranger_key, expect=False):
        pass


async def test_a_visitor_without_a_session_or_with_a_forged_one_is_refused(people):
    session_key, conversation = await visitor_started()
    async with visitor_socket(f"/ws/chat/{conversation.pk}/", None, expect=False):
        pass
    async with visitor_socket(f"/ws/chat/{conversation.pk}/", "x" * 32, expect=False):
        pass
    # The stored key itself is not a session key: knowing it gets nowhere.
    async with visitor_socket(f"/ws/chat/{conversation.pk}/", conversation.visitor, expect=False):
        pass


async def test_a_visitor_cannot_open_a_citizens_chat_nor_the_operators_socket(people):
    session_key, _ = await visitor_started()
    theirs = await database_sync_to_async(chat_make)(user=people["citizen"])
    async with visitor_socket(f"/ws/chat/{theirs.pk}/", session_key, expect=False):
        pass
    async with visitor_socket("/ws/chat/operator/", session_key, expect=False):
        pass


@pytest.mark.parametrize(
    "origin", [None, (b"origin", b"https://evil.example"), (b"origin", b"null")]
)
async def test_a_visitors_socket_checks_the_origin(people, origin):
    session_key, conversation = await visitor_started()
    communicator = WebsocketCommunicator(
        application,
        f"/ws/chat/{conversation.pk}/",
        headers=([origin] if origin else []) + [(b"cookie", f"sessionid={session_key}".encode())],
    )
    connected, _ = await communicator.connect()
    assert not connected
    await communicator.disconnect()


async def test_a_visitors_socket_has_the_frame_budgets(people):
    session_key, conversation = await visitor_started()
    async with visitor_socket(f"/ws/chat/{conversation.pk}/", session_key) as ws:
        for _ in range(10):
            await ws.send_json_to({"type": "ping"})
        refused = await until(ws, "error")
        assert refused["code"] == "rate_frame"
        await ws.send_to(bytes_data=b"\x00\x01")
        # Still open, and still answering.
        await ws.send_json_to({"type": "hello", "after": 0})
        assert (await messages_until(ws, 1))[0]["sender"] == "bot"


async def test_after_sign_in_the_old_visitor_socket_loses_the_chat(people):
    session_key, conversation = await visitor_started()
    citizen = people["citizen"]
    async with visitor_socket(f"/ws/chat/{conversation.pk}/", session_key) as ws:
        await greeted(ws)
        await database_sync_to_async(actions.conversations_take_over)(
            visitor=conversation.visitor, user=citizen
        )
        await database_sync_to_async(actions.message_post)(
            conversation_id=conversation.pk,
            actor=lifecycle.citizen(citizen),
            text="уже из кабинета",
            client_id="after",
        )
        sent = await texts_until_forbidden(ws)
        assert not any("уже из кабинета" in text for text in sent)


def _handed_off(session_key: str, conversation: Conversation) -> None:
    """The visitor's hand-off through the page, with a name and an e-mail."""
    from django.conf import settings

    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    response = client.post(
        reverse("chat:step", args=[conversation.pk, "hand_off"]),
        {"name": "Анна", "email": "anna@example.ru", "phone": "", "consent": "on"},
    )
    assert response.status_code == 302


async def test_a_visitors_hand_off_reaches_the_operator_who_answers_live(people):
    from django.core import mail

    from tests.support.chat.factories import operator_online
    from tests.support.chat.test_consumers import socket

    operator = people["operator"]
    await database_sync_to_async(operator_online)(operator)
    session_key, conversation = await visitor_started()
    path = f"/ws/chat/{conversation.pk}/"
    async with visitor_socket(path, session_key) as mine:
        await mine.send_json_to({"type": "hello", "after": 0})
        await until(mine, "state", status="bot")
        await database_sync_to_async(_handed_off)(session_key, conversation)
        said = await until(mine, "message", sender="system")
        assert "anna@example.ru" in said["text"]
        waiting = await until(mine, "state", status="waiting")
        assert waiting["place"]["position"] == 1
        await database_sync_to_async(
            lambda: actions.conversation_take(
                conversation_id=conversation.pk, actor=lifecycle.staff(operator)
            )
        )()
        await until(mine, "state", status="operator")
        async with socket(path, user=operator) as theirs:
            await theirs.send_json_to({"type": "hello", "after": 0})
            await until(theirs, "state", status="operator")
            await theirs.send_json_to({"type": "message", "client_id": "o1", "text": "Помогу"})
            ack = await until(theirs, "ack", client_id="o1")
            got = await until(mine, "message", seq=ack["seq"])
            assert got["sender"] == "operator" and got["text"] == "Помогу"
            # The visitor writes back in the same socket, and the operator reads it.
            await mine.send_json_to({"type": "message", "client_id": "v1", "text": "Спасибо"})
            back = await until(theirs, "message", client_id="v1")
            assert back["sender"] == "citizen"
    # On the page when the answer came, yet the letter went too (the immediate backend asks
    # at once whether it was read; production asks INBOX_AFTER later).
    letters = [letter for letter in mail.outbox if letter.to == ["anna@example.ru"]]
    assert letters and "Помогу" in letters[0].body


async def test_visitors_sockets_are_limited_per_client_address(people, monkeypatch):
    from support.chat.actions import common

    monkeypatch.setattr(common, "RATE_ADDRESS_MESSAGES", 3)
    first_key, first = await visitor_started()
    second_key, second = await visitor_started()

    def from_address(communicator, address: str):
        communicator.scope["client"] = (address, 40000)

    sockets = []
    for key, conversation in ((first_key, first), (second_key, second)):
        headers = [ORIGIN, (b"cookie", f"sessionid={key}".encode())]
        communicator = WebsocketCommunicator(
            application, f"/ws/chat/{conversation.pk}/", headers=headers
        )
        from_address(communicator, "203.0.113.9")
        assert (await communicator.connect())[0]
        sockets.append(communicator)
    try:
        one, two = sockets
        for n in range(2):
            await one.send_json_to({"type": "message", "client_id": f"a{n}", "text": "вопрос"})
            await until(one, "ack", client_id=f"a{n}")
        await two.send_json_to({"type": "message", "client_id": "b0", "text": "вопрос"})
        await until(two, "ack", client_id="b0")
        # The address is full: another visitor behind it is refused, with the wait.
        await two.send_json_to({"type": "message", "client_id": "b1", "text": "вопрос"})
        refused = await until(two, "error", client_id="b1")
        assert refused["code"] == "rate" and refused["retry_after"] >= 1
        # A resend of an admitted message is never refused.
        await two.send_json_to({"type": "message", "client_id": "b0", "text": "вопрос"})
        await until(two, "ack", client_id="b0")
        # Another address is counted apart.
        third_key, third = await visitor_started()
        elsewhere = WebsocketCommunicator(
            application,
            f"/ws/chat/{third.pk}/",
            headers=[ORIGIN, (b"cookie", f"sessionid={third_key}".encode())],
        )
        from_address(elsewhere, "198.51.100.4")
        assert (await elsewhere.connect())[0]
        sockets.append(elsewhere)
        await elsewhere.send_json_to({"type": "message", "client_id": "c0", "text": "вопрос"})
        await until(elsewhere, "ack", client_id="c0")
    finally:
        for communicator in sockets:
            await communicator.disconnect()
    stored = await database_sync_to_async(
        lambda: sorted(Message.objects.exclude(client_id="").values_list("client_id", flat=True))
    )()
    assert stored == ["a0", "a1", "b0", "c0"]


async def test_a_visitors_read_mark_keeps_their_socket(people):
    # The ring of a read mark carries the owner too: without the visitor key in it, the
    # visitor's own socket judged the chat somebody else's and closed (4403).
    session_key, conversation = await visitor_started()
    async with visitor_socket(f"/ws/chat/{conversation.pk}/", session_key) as ws:
        await ws.send_json_to({"type": "hello", "after": 0})
        await messages_until(ws, 1)
        await ws.send_json_to({"type": "message", "client_id": "v1", "text": "пароль"})
        await messages_until(ws, 3)
        await ws.send_json_to({"type": "read", "seq": 3})
        await ws.send_json_to({"type": "ping"})
        assert (await until(ws, "pong"))["type"] == "pong"
        # The read mark's ring may come after the pong (through Redis): it brings a state,
        # never a close.
        while not await ws.receive_nothing(timeout=0.5):
            assert (await ws.receive_output())["type"] == "websocket.send"
    conversation = await database_sync_to_async(Conversation.objects.get)(pk=conversation.pk)
    assert conversation.citizen_read_seq == 3
