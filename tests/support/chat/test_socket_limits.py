"""What a socket takes from a client that does not behave like the page: floods of every
frame type, binary and deeply nested frames, a long catch-up; and who may still read a
conversation after the handshake. Each is answered, and the socket stays open."""

import asyncio
import contextlib

import pytest
from channels.db import database_sync_to_async

from support.chat import actions, consumers, lifecycle, selectors
from support.chat.models import Conversation, Message, SenderKind, Status
from support.chat.rules import CATCH_UP_PAGE, FRAME_LIMITS
from tests.support.appeals.factories import operator_make, supervisor_make
from tests.support.chat.factories import chat_make
from tests.support.chat.frames import both_sides, greeted, texts_until_forbidden
from tests.support.chat.test_consumers import seqs, socket, until

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

start = database_sync_to_async(chat_make)


async def frames_until_pong(ws) -> list[dict]:
    """Everything the socket sends up to the answer to a ping sent now."""
    await ws.send_json_to({"type": "ping"})
    frames = []
    async with asyncio.timeout(5):
        while not frames or frames[-1]["type"] != "pong":
            frames.append(await ws.receive_json_from(timeout=5))
    return frames


async def test_binary_and_nested_frames_are_answered_and_the_socket_stays(people):
    conversation = await start(user=people["citizen"])
    async with socket(f"/ws/chat/{conversation.pk}/", user=people["citizen"]) as ws:
        await ws.send_to(bytes_data=b"\x00\x01binary")
        assert (await until(ws, "error"))["code"] == "bad_frame"
        await asyncio.sleep(1.01)  # errors of one kind are said once a second
        await ws.send_to(text_data="[" * 12_000 + "]" * 12_000)  # deeper than the parser goes
        assert (await until(ws, "error"))["code"] == "bad_frame"
        await asyncio.sleep(1.01)
        await ws.send_to(text_data='{"type": "message", "text": "' + "я" * 30_000 + '"}')
        assert (await until(ws, "error"))["code"] == "too_long"
        await ws.send_json_to({"type": "hello", "after": 0})
        assert (await until(ws, "message"))["seq"] == 1  # still open, still working


@pytest.mark.parametrize("kind", ["hello", "ping", "typing", "read"])
async def test_every_frame_type_has_a_limit(people, kind, monkeypatch):
    """A flood of 60 frames: the budget passes what the page could send, the rest is
    dropped with one error; the server's work follows the budget, not the flood."""
    citizen, operator = people["citizen"], people["operator"]
    conversation = await start(user=citizen, status=Status.OPERATOR, operator=operator)
    calls = {"flush": 0, "read": 0, "seq": 0}
    real_flush, real_read = consumers.ChatConsumer.flush, actions.conversation_mark_read

    async def counted_flush(self):
        calls["flush"] += 1
        await real_flush(self)

    def counted_read(**kwargs):
        calls["read"] += 1
        return real_read(**kwargs)

    def counted_seq(**kwargs):
        calls["seq"] += 1
        return {}

    monkeypatch.setattr(consumers.ChatConsumer, "flush", counted_flush)
    monkeypatch.setattr(consumers.actions, "conversation_mark_read", counted_read)
    monkeypatch.setattr(consumers.selectors, "conversations_last_seq", counted_seq)
    limit = FRAME_LIMITS[kind]
    async with both_sides(conversation, citizen, operator) as (ws, other):
        calls["flush"] = 0
        last = conversation.last_seq
        frames = {
            "hello": {"type": "hello", "after": 0},
            "ping": {"type": "ping"},
            "typing": {"type": "typing"},
            "read": None,
        }
        for n in range(60):
            frame = frames[kind] or {"type": "read", "seq": 1 + n % last}
            await ws.send_json_to(frame)
        received = []
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(1.5):
                while True:
                    received.append(await ws.receive_json_from(timeout=2))
        errors = [f for f in received if f["type"] == "error"]
        assert [e["code"] for e in errors] == ["rate_frame"]
        if kind == "hello":
            assert calls["flush"] <= limit.burst + 1
        if kind == "ping":
            assert 1 <= sum(f["type"] == "pong" for f in received) <= limit.burst + 1
            assert calls["seq"] == 0  # pings by themselves touch no database
        if kind == "typing":
            typing = []
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(0.5):
                    while True:
                        typing.append(await other.receive_json_from(timeout=1))
            assert 1 <= sum(f["type"] == "typing" for f in typing) <= limit.burst + 1
        if kind == "read":
            # Only a mark that moves forward reaches the database.
            assert calls["read"] <= last
        if kind != "ping":  # the socket is still there and answers
            assert (await frames_until_pong(ws))[-1]["type"] == "pong"


async def test_a_catch_up_comes_in_pages_the_client_asks_for(people):
    citizen = people["citizen"]
    conversation = await start(user=citizen)

    def fill():
        Message.objects.bulk_create(
            Message(conversation=conversation, seq=n, sender_kind=SenderKind.BOT, text=f"{n}")
            for n in range(2, 2 * CATCH_UP_PAGE + 31)
        )
        Conversation.objects.filter(pk=conversation.pk).update(last_seq=2 * CATCH_UP_PAGE + 30)

    await database_sync_to_async(fill)()
    async with socket(f"/ws/chat/{conversation.pk}/", user=citizen) as ws:
        got, after = [], 0
        for page in range(3):
            await ws.send_json_to({"type": "hello", "after": after})
            frames = []
            while not frames or frames[-1]["type"] != "state":
                frames.append(await ws.receive_json_from(timeout=3))
            page_seqs = seqs(frames)
            assert len(page_seqs) == (CATCH_UP_PAGE if page < 2 else 30)
            assert frames[-1]["more"] is (page < 2)
            got += page_seqs
            after = page_seqs[-1]
        assert got == list(range(1, 2 * CATCH_UP_PAGE + 31))


async def test_an_operator_who_lost_the_chat_stops_receiving_it(people, monkeypatch):
    """A supervisor hands the chat to a colleague: the first operator's open socket gets
    nothing more (neither by the ring nor by a hello) and is closed."""
    citizen, operator = people["citizen"], people["operator"]
    conversation = await start(user=citizen, status=Status.OPERATOR, operator=operator)
    colleague = await database_sync_to_async(operator_make)("op-colleague")
    supervisor = await database_sync_to_async(supervisor_make)("sv-take")
    async with both_sides(conversation, citizen, operator) as (mine, theirs):
        await database_sync_to_async(actions.conversation_transfer)(
            conversation_id=conversation.pk,
            actor=await database_sync_to_async(lifecycle.staff)(supervisor),
            to=colleague,
            note="беру на контроль",
        )
        await database_sync_to_async(actions.message_post)(
            conversation_id=conversation.pk,
            actor=await database_sync_to_async(lifecycle.citizen)(citizen),
            text="секрет после передачи",
            client_id="after",
        )
        sent = await texts_until_forbidden(theirs)
        assert not any("секрет" in text or "беру на контроль" in text for text in sent)
        # The citizen, meanwhile, has both.
        assert (await until(mine, "message", client_id="after"))["text"] == "секрет после передачи"


async def test_a_lost_ring_does_not_let_a_hello_reread_a_chat_that_is_gone(people, monkeypatch):
    from support.chat import events

    citizen, operator = people["citizen"], people["operator"]
    conversation = await start(user=citizen, status=Status.OPERATOR, operator=operator)
    colleague = await database_sync_to_async(operator_make)("op-colleague")
    async with socket(f"/ws/chat/{conversation.pk}/", user=operator) as theirs:
        await greeted(theirs)
        monkeypatch.setattr(events, "group_send", lambda group, event: None)  # every ring lost
        await database_sync_to_async(Conversation.objects.filter(pk=conversation.pk).update)(
            operator=colleague
        )
        await theirs.send_json_to({"type": "hello", "after": 0})
        output = await theirs.receive_output(timeout=3)
        assert output == {"type": "websocket.close", "code": consumers.CLOSE_FORBIDDEN}


async def test_a_supervisor_keeps_reading_after_a_transfer(people):
    citizen, operator = people["citizen"], people["operator"]
    conversation = await start(user=citizen, status=Status.OPERATOR, operator=operator)
    colleague = await database_sync_to_async(operator_make)("op-colleague")
    supervisor = await database_sync_to_async(supervisor_make)("sv-read")
    async with socket(f"/ws/chat/{conversation.pk}/", user=supervisor) as ws:
        await ws.send_json_to({"type": "hello", "after": 0})
        await until(ws, "state")
        await database_sync_to_async(actions.conversation_transfer)(
            conversation_id=conversation.pk,
            actor=await database_sync_to_async(lifecycle.staff)(operator),
            to=colleague,
            note="",
        )
        assert (await until(ws, "message", staff_only=True))["sender"] == "system"


def _payload_names(conversation, citizen):
    message = Message.objects.filter(conversation=conversation, sender_kind="citizen").first()
    return (
        selectors.message_payload(message)["sender_name"],
        selectors.message_payload(message, staff=True)["sender_name"],
    )


async def test_staff_read_the_citizens_name_the_citizen_reads_vy(people):
    citizen, operator = people["citizen"], people["operator"]
    conversation = await start(user=citizen, status=Status.OPERATOR, operator=operator)
    async with both_sides(conversation, citizen, operator) as (mine, theirs):
        await mine.send_json_to({"type": "message", "client_id": "named", "text": "Привет"})
        assert (await until(mine, "message", client_id="named"))["sender_name"] == "Вы"
        staff_copy = await until(theirs, "message", client_id="named")
        assert staff_copy["sender_name"] == citizen.get_full_name() != "Вы"
        assert "staff_sender_name" not in staff_copy
    # The same names when read from the database (a catch-up, the page).
    assert await database_sync_to_async(_payload_names)(conversation, citizen) == (
        "Вы",
        citizen.get_full_name(),
    )


async def test_pings_and_typing_marks_touch_no_database_and_no_limit_store(people, monkeypatch):
    """Every socket pings every 20 s and types before each message: none of it reaches
    the database (from any thread) or the per-person limit's store."""
    from django.db.backends.utils import CursorWrapper

    from portal import ratelimits

    citizen, operator = people["citizen"], people["operator"]
    conversation = await start(user=citizen, status=Status.OPERATOR, operator=operator)
    async with both_sides(conversation, citizen, operator) as (ws, other):
        statements, windows = [], []
        real_execute, real_admit = CursorWrapper.execute, ratelimits.window_admit

        def counted_execute(self, sql, params=None):
            statements.append(sql)
            return real_execute(self, sql, params)

        def counted_admit(*args, **kwargs):
            windows.append(args)
            return real_admit(*args, **kwargs)

        monkeypatch.setattr(CursorWrapper, "execute", counted_execute)
        monkeypatch.setattr(ratelimits, "window_admit", counted_admit)
        for _ in range(2):
            await ws.send_json_to({"type": "typing"})
            await until(other, "typing")
            await ws.send_json_to({"type": "ping"})
            await until(ws, "pong")
        await other.send_json_to({"type": "ping"})
        await until(other, "pong")
        assert statements == [] and windows == []
