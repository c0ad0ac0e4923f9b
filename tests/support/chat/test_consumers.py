"""The chat's sockets: guards, the bot and the hand-off live, resume after a reconnect and
idempotent resends, limits answered with a message. Every test disconnects what it opens."""

import asyncio
import contextlib

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from portal.asgi import application
from support.chat import actions, consumers, lifecycle
from support.chat.models import Conversation, Message, Presence, Status
from tests.portal.factories import UserFactory
from tests.support.appeals.factories import operator_make, supervisor_make
from tests.support.chat.factories import chat_make, operator_online

ORIGIN = (b"origin", b"http://127.0.0.1")
pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


def _session(user) -> tuple[str, Client]:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value, client


@contextlib.asynccontextmanager
async def socket(path: str, *, user=None, origin=ORIGIN, expect=True):
    headers = [origin] if origin else []
    client = None
    if user is not None:
        key, client = await database_sync_to_async(_session)(user)
        headers.append((b"cookie", f"sessionid={key}".encode()))
    communicator = WebsocketCommunicator(application, path, headers=headers)
    communicator.client = client
    try:
        connected, _ = await communicator.connect()
        assert connected == expect
        yield communicator
    finally:
        await communicator.disconnect()


async def until(communicator, kind: str, *, timeout: float = 3, **match) -> dict:
    """The next frame of this type (and fields); frames before it are skipped."""
    async with asyncio.timeout(timeout):
        while True:
            frame = await communicator.receive_json_from(timeout=timeout)
            if frame.get("type") == kind and all(frame.get(k) == v for k, v in match.items()):
                return frame


async def messages_until(communicator, seq: int) -> list[dict]:
    """Every message frame up to number `seq`, in the order received."""
    seen = []
    async with asyncio.timeout(3):
        while not seen or seen[-1]["seq"] < seq:
            frame = await communicator.receive_json_from(timeout=3)
            if frame["type"] == "message":
                seen.append(frame)
    return seen


def seqs(frames: list[dict]) -> list[int]:
    return [f["seq"] for f in frames if f["type"] == "message"]


start = database_sync_to_async(chat_make)


async def test_anonymous_socket_is_refused(people):
    conversation = await start(user=people["citizen"])
    async with socket(f"/ws/chat/{conversation.pk}/", expect=False):
        pass


@pytest.mark.parametrize("origin", [None, (b"origin", b"https://evil.example")])
async def test_missing_or_foreign_origin_is_refused(people, origin):
    conversation = await start(user=people["citizen"])
    async with socket(
        f"/ws/chat/{conversation.pk}/", user=people["citizen"], origin=origin, expect=False
    ):
        pass


async def test_a_citizen_cannot_join_somebody_elses_conversation(people):
    conversation = await start(user=people["citizen"])
    async with socket(f"/ws/chat/{conversation.pk}/", user=people["other"], expect=False):
        pass
    async with socket("/ws/chat/999999/", user=people["citizen"], expect=False):
        pass


async def test_the_operator_socket_is_for_operators_only(people):
    async with socket("/ws/chat/operator/", user=people["citizen"], expect=False):
        pass
    async with socket("/ws/chat/operator/", user=people["operator"]):
        assert await database_sync_to_async(
            Presence.objects.filter(user=people["operator"], is_operator=True).exists
        )()
    # Leaving the workspace takes the operator offline.
    assert not await database_sync_to_async(Presence.objects.exists)()


async def test_the_bot_answers_over_the_socket_and_html_stays_text(people):
    conversation = await start(user=people["citizen"])
    async with socket(f"/ws/chat/{conversation.pk}/", user=people["citizen"]) as ws:
        await ws.send_json_to({"type": "hello", "after": 0})
        greeting = (await messages_until(ws, 1))[0]
        assert greeting["sender"] == "bot"
        await ws.send_json_to(
            {"type": "message", "client_id": "m1", "text": "<img src=x onerror=alert(1)>"}
        )
        ack = await until(ws, "ack", client_id="m1")
        assert ack["seq"] == 2
        mine, bot = await messages_until(ws, 3)
        assert mine["text"] == "<img src=x onerror=alert(1)>" and mine["client_id"] == "m1"
        assert bot["sender"] == "bot" and bot["offer"] == ["operator"]


async def test_resume_sends_only_what_follows_and_a_resend_is_not_doubled(people):
    conversation = await start(user=people["citizen"])
    path = f"/ws/chat/{conversation.pk}/"
    async with socket(path, user=people["citizen"]) as ws:
        await ws.send_json_to({"type": "hello", "after": 0})
        await messages_until(ws, 1)
        await ws.send_json_to({"type": "message", "client_id": "once", "text": "пароль"})
        await until(ws, "ack", client_id="once")
    # Reconnected after seeing message 1 only: the client resends what had no ack.
    async with socket(path, user=people["citizen"]) as ws:
        await ws.send_json_to({"type": "hello", "after": 1})
        await ws.send_json_to({"type": "message", "client_id": "once", "text": "пароль"})
        frames = []
        async with asyncio.timeout(3):
            while not any(f["type"] == "ack" for f in frames) or 3 not in seqs(frames):
                frames.append(await ws.receive_json_from(timeout=3))
        assert next(f for f in frames if f["type"] == "ack")["seq"] == 2
        await ws.send_json_to({"type": "ping"})
        frames += [await ws.receive_json_from()]
        while frames[-1]["type"] != "pong":
            frames.append(await ws.receive_json_from())
        # Each message exactly once and in order, the resend included.
        assert seqs(frames) == [2, 3]
    count = await database_sync_to_async(
        Message.objects.filter(conversation=conversation, client_id="once").count
    )()
    assert count == 1


async def test_limits_are_answered_with_a_message(people):
    conversation = await start(user=people["citizen"])
    async with socket(f"/ws/chat/{conversation.pk}/", user=people["citizen"]) as ws:
        await ws.send_json_to({"type": "hello", "after": 0})
        await ws.send_json_to({"type": "message", "client_id": "big", "text": "я" * 4001})
        error = await until(ws, "error", client_id="big")
        assert error["code"] == "too_long" and "4000" in error["message"]
        for n in range(10):
            await ws.send_json_to({"type": "message", "client_id": f"n{n}", "text": f"{n}"})
            await until(ws, "ack", client_id=f"n{n}")
        await ws.send_json_to({"type": "message", "client_id": "n10", "text": "ещё"})
        error = await until(ws, "error", client_id="n10")
        assert error["code"] == "rate" and "Подождите" in error["message"]
        await ws.send_to(text_data="not json")  # ignored, the socket stays
        await ws.send_json_to({"type": "ping"})
        await until(ws, "pong")


async def test_hand_off_take_exchange_typing_and_read_marks_live(people):
    citizen, operator = people["citizen"], people["operator"]
    conversation = await start(user=citizen)
    async with socket("/ws/chat/operator/", user=operator) as workspace:
        async with socket(f"/ws/chat/{conversation.pk}/", user=citizen) as mine:
            await mine.send_json_to({"type": "hello", "after": 0})
            await until(mine, "state", status="bot")
            await database_sync_to_async(actions.conversation_hand_off)(
                conversation_id=conversation.pk, user=citizen
            )
            await until(workspace, "queue")
            state = await until(mine, "state", status="waiting")
            assert state["place"] == {"position": 1, "minutes": 4}
            await database_sync_to_async(actions.conversation_take)(
                conversation_id=conversation.pk,
                actor=lifecycle.Actor(lifecycle.Role.OPERATOR, operator),
            )
            await until(mine, "state", status="operator")
            async with socket(f"/ws/chat/{conversation.pk}/", user=operator) as theirs:
                await theirs.send_json_to({"type": "hello", "after": 0})
                transcript = await messages_until(theirs, 3)
                assert transcript[0]["sender"] == "bot"  # the bot's part is there
                await theirs.send_json_to({"type": "typing"})
                assert (await until(mine, "typing"))["side"] == "staff"
                await theirs.send_json_to(
                    {"type": "message", "client_id": "o1", "text": "Добрый день"}
                )
                ack = await until(theirs, "ack", client_id="o1")
                got = await until(mine, "message", seq=ack["seq"])
                assert got["sender"] == "operator" and got["text"] == "Добрый день"
                await mine.send_json_to({"type": "read", "seq": ack["seq"]})
                assert (await until(theirs, "state", read_seq=ack["seq"]))["read_seq"] == ack["seq"]
                await mine.send_json_to({"type": "message", "client_id": "c1", "text": "Спасибо"})
                back = await until(theirs, "message", client_id="c1")
                assert back["sender"] == "citizen"


async def test_a_colleague_cannot_join_a_held_conversation(people):
    conversation = await start(
        user=people["citizen"], status=Status.OPERATOR, operator=people["operator"]
    )
    colleague = await database_sync_to_async(operator_make)("op2")
    async with socket(f"/ws/chat/{conversation.pk}/", user=colleague, expect=False):
        pass


async def test_signing_out_closes_the_sessions_socket(people):
    conversation = await start(user=people["citizen"])
    async with socket(f"/ws/chat/{conversation.pk}/", user=people["citizen"]) as ws:
        await ws.send_json_to({"type": "hello", "after": 0})
        await until(ws, "state")
        await database_sync_to_async(ws.client.post)("/accounts/logout/")
        async with asyncio.timeout(3):
            while True:
                frame = await ws.receive_output(timeout=3)
                if frame["type"] == "websocket.close":
                    assert frame["code"] == 4401
                    break


async def test_an_operator_online_makes_the_hand_off_possible(people):
    conversation = await start(user=people["citizen"])
    await database_sync_to_async(operator_online)(people["operator"])
    handed = await database_sync_to_async(actions.conversation_hand_off)(
        conversation_id=conversation.pk, user=people["citizen"]
    )
    assert handed.pk == conversation.pk
    assert handed.status == Status.WAITING and handed.queued_at is not None


async def test_a_lost_ring_loses_nothing_and_a_staff_note_never_reaches_the_citizen(
    people, monkeypatch
):
    from support.chat import events

    citizen, operator = people["citizen"], people["operator"]
    conversation = await start(user=citizen, status=Status.OPERATOR, operator=operator)
    colleague = await database_sync_to_async(operator_make)("op2")
    # A supervisor reads along: they keep reading after the transfer (the operator does not).
    supervisor = await database_sync_to_async(supervisor_make)("sv1")
    monkeypatch.setattr(consumers, "SEQ_CHECK_SECONDS", 0)
    async with (
        socket(f"/ws/chat/{conversation.pk}/", user=citizen) as mine,
        socket(f"/ws/chat/{conversation.pk}/", user=supervisor) as theirs,
    ):
        for ws in (mine, theirs):
            await ws.send_json_to({"type": "hello", "after": 0})
            await until(ws, "state")
        last = conversation.last_seq
        # The layer drops the ring of the next message (it may, by its specification).
        real_send = events.group_send
        monkeypatch.setattr(events, "group_send", lambda group, event: None)
        await database_sync_to_async(actions.message_post)(
            conversation_id=conversation.pk,
            actor=lifecycle.citizen(citizen),
            text="первое",
            client_id="lost",
        )
        monkeypatch.setattr(events, "group_send", real_send)
        # A note between staff, then an answer: both rings arrive.
        await database_sync_to_async(actions.conversation_transfer)(
            conversation_id=conversation.pk,
            actor=lifecycle.staff(operator),
            to=colleague,
            note="секретная заметка",
        )
        operator_view = await messages_until(theirs, last + 3)
        assert seqs(operator_view) == [last + 1, last + 2, last + 3]
        assert operator_view[0]["text"] == "первое" and operator_view[1]["staff_only"]
        citizen_view = await messages_until(mine, last + 3)
        assert seqs(citizen_view) == [last + 1, last + 3]
        assert all("секретная" not in frame["text"] for frame in citizen_view)


async def test_the_senders_copy_comes_with_the_ring_or_with_the_next_check(people, monkeypatch):
    from support.chat import events

    monkeypatch.setattr(consumers, "SEQ_CHECK_SECONDS", 0)  # the check with every ping
    citizen, operator = people["citizen"], people["operator"]
    conversation = await start(user=citizen, status=Status.OPERATOR, operator=operator)
    async with socket(f"/ws/chat/{conversation.pk}/", user=citizen) as ws:
        await ws.send_json_to({"type": "hello", "after": 0})
        await until(ws, "state")
        await ws.send_json_to({"type": "message", "client_id": "rung", "text": "раз"})
        ack = await until(ws, "ack", client_id="rung")
        assert (await until(ws, "message", client_id="rung"))["seq"] == ack["seq"]
        monkeypatch.setattr(events, "group_send", lambda group, event: None)  # the ring is lost
        await ws.send_json_to({"type": "message", "client_id": "lost", "text": "два"})
        ack = await until(ws, "ack", client_id="lost")
        await ws.send_json_to({"type": "ping"})
        frames = []
        while not frames or frames[-1]["type"] != "state":
            frames.append(await ws.receive_json_from(timeout=3))
        assert seqs(frames) == [ack["seq"]]


async def test_the_quiet_chats_checks_due_together_are_one_query(people, monkeypatch):
    """Every socket checks its chat now and then (`SEQ_CHECK_SECONDS`); the checks due in
    the same moment are one query, and only the socket that is behind reads and sends."""
    from support.chat import events, selectors
    from tests.support.chat.frames import greeted

    monkeypatch.setattr(consumers, "SEQ_CHECK_SECONDS", 0)  # the check with every ping
    asked = []
    real = selectors.conversations_last_seq

    def counted(**kwargs):
        asked.append(sorted(kwargs["conversation_ids"]))
        return real(**kwargs)

    monkeypatch.setattr(consumers.selectors, "conversations_last_seq", counted)
    citizen, other, operator = people["citizen"], people["other"], people["operator"]
    behind = await start(user=citizen, status=Status.OPERATOR, operator=operator)
    quiet = await start(user=other, status=Status.OPERATOR, operator=operator)
    async with (
        socket(f"/ws/chat/{behind.pk}/", user=citizen) as mine,
        socket(f"/ws/chat/{quiet.pk}/", user=other) as theirs,
    ):
        await greeted(mine, theirs)
        monkeypatch.setattr(events, "group_send", lambda group, event: None)  # a lost ring
        lost = await database_sync_to_async(actions.message_post)(
            conversation_id=behind.pk,
            actor=lifecycle.staff(operator),
            text="ответ, чей звонок потерян",
            client_id="lost",
        )
        for ws in (mine, theirs):
            await ws.send_json_to({"type": "ping"})
        assert await until(mine, "pong") and await until(theirs, "pong")
        assert (await until(mine, "message"))["seq"] == lost.message.seq
        assert await theirs.receive_nothing(timeout=1.5)
    assert asked == [sorted([behind.pk, quiet.pk])]


async def test_a_queue_change_rings_the_waiting_citizens_only(people):
    citizen, other, operator = people["citizen"], people["other"], people["operator"]
    chatting = await start(user=citizen)  # still with the bot
    waiting = await start(user=other, status=Status.WAITING, operator=operator)
    third = await database_sync_to_async(UserFactory)(username="c3")
    async with (
        socket(f"/ws/chat/{chatting.pk}/", user=citizen) as with_bot,
        socket(f"/ws/chat/{waiting.pk}/", user=other) as in_queue,
    ):
        for ws in (with_bot, in_queue):
            await ws.send_json_to({"type": "hello", "after": 0})
            await until(ws, "state")
        await database_sync_to_async(operator_online)(operator)
        newcomer = await start(user=third)
        await database_sync_to_async(actions.conversation_hand_off)(
            conversation_id=newcomer.pk, user=third
        )
        assert (await until(in_queue, "state"))["place"]["position"] == 1
        assert await with_bot.receive_nothing(timeout=0.3)
        # Once the citizen joins the queue, its moves reach them too.
        await database_sync_to_async(actions.conversation_hand_off)(
            conversation_id=chatting.pk, user=citizen
        )
        assert (await until(with_bot, "state", status="waiting"))["place"]["position"] == 3
        actor = await database_sync_to_async(lifecycle.staff)(operator)
        await database_sync_to_async(actions.conversation_take)(
            conversation_id=waiting.pk, actor=actor
        )
        while (await until(with_bot, "state"))["place"]["position"] != 2:
            pass


@pytest.mark.parametrize("taken", ["staff status", "group"])
async def test_a_role_taken_away_stops_the_next_answer_on_an_open_socket(people, taken):
    citizen, operator = people["citizen"], people["operator"]
    conversation = await start(user=citizen, status=Status.OPERATOR, operator=operator)
    async with socket(f"/ws/chat/{conversation.pk}/", user=operator) as theirs:
        await theirs.send_json_to({"type": "hello", "after": 0})
        await until(theirs, "state")
        await theirs.send_json_to({"type": "message", "client_id": "o1", "text": "Первый ответ"})
        await until(theirs, "ack", client_id="o1")

        def take_away() -> None:
            if taken == "group":
                operator.groups.clear()
            else:
                type(operator).objects.filter(pk=operator.pk).update(is_staff=False)

        await database_sync_to_async(take_away)()
        await theirs.send_json_to({"type": "message", "client_id": "o2", "text": "Второй ответ"})
        error = await until(theirs, "error", client_id="o2")
        assert error["code"] == "forbidden"
    stored = await database_sync_to_async(
        lambda: list(
            Message.objects.filter(conversation=conversation).values_list("client_id", flat=True)
        )
    )()
    assert "o1" in stored and "o2" not in stored


async def test_frames_do_not_check_the_connection_before_each_query(people, monkeypatch):
    """A `SELECT 1` before every frame's first query (Django's per-request health check)
    is one round trip more per message and read mark: the sockets' database work checks
    at most every few seconds per thread."""
    from django.db import connections

    wrapper = type(connections["default"])
    checks = []
    real = wrapper.is_usable

    def counted(self):
        checks.append(1)
        return real(self)

    monkeypatch.setattr(wrapper, "is_usable", counted)

    def checked_connection() -> None:
        # Persistent and checked, as the settings have it (not as the tests open theirs).
        db = connections["default"]
        db.ensure_connection()
        db.health_check_enabled, db.close_at = True, None

    def a_frame() -> int:
        return Message.objects.count()

    await consumers.database_sync_to_async(checked_connection)()
    checks.clear()
    for _ in range(6):
        await consumers.database_sync_to_async(a_frame)()
    assert len(checks) <= 1


async def test_a_state_that_changes_nothing_on_the_page_is_not_sent_again(people):
    """A read mark's ring reaches both sides: the other side's page shows the mark, the
    reader's own shows nothing new and is sent nothing; a catch-up still ends with its
    state."""
    from tests.support.chat.frames import both_sides

    citizen, operator = people["citizen"], people["operator"]
    conversation = await start(user=citizen, status=Status.OPERATOR, operator=operator)
    async with both_sides(conversation, citizen, operator) as (mine, theirs):
        await theirs.send_json_to({"type": "message", "client_id": "o1", "text": "Ответ"})
        answer = await until(mine, "message", client_id="o1")
        await until(theirs, "ack", client_id="o1")
        await until(theirs, "message", client_id="o1")
        # Neither side's page shows anything new in the state after a message: not sent.
        assert await mine.receive_nothing(timeout=0.5)
        assert await theirs.receive_nothing(timeout=0.1)
        await mine.send_json_to({"type": "read", "seq": answer["seq"]})
        assert (await until(theirs, "state"))["read_seq"] == answer["seq"]
        assert await mine.receive_nothing(timeout=0.5)
        await mine.send_json_to({"type": "hello", "after": answer["seq"]})
        assert (await mine.receive_json_from(timeout=3))["type"] == "state"


async def test_receipts_that_come_while_one_is_written_are_one_write_of_the_latest(
    people, monkeypatch
):
    """A catch-up's receipts come one per message: while one is being written the rest
    wait as one, the latest; the mark ends at the last one read."""
    import time

    citizen, operator = people["citizen"], people["operator"]
    conversation = await start(user=citizen, status=Status.OPERATOR, operator=operator)
    for n in range(5):
        await database_sync_to_async(actions.message_post)(
            conversation_id=conversation.pk,
            actor=lifecycle.staff(operator),
            text=f"ответ {n}",
            client_id=f"o{n}",
        )
    written = []
    real = actions.conversation_mark_read

    def slow(**kwargs):
        time.sleep(0.3)  # a database under load
        written.append(kwargs["seq"])
        return real(**kwargs)

    monkeypatch.setattr(consumers.actions, "conversation_mark_read", slow)
    async with socket(f"/ws/chat/{conversation.pk}/", user=citizen) as mine:
        await mine.send_json_to({"type": "hello", "after": 0})
        seen = seqs(await messages_until(mine, await last_seq(conversation)))
        for seq in seen:
            await mine.send_json_to({"type": "read", "seq": seq})
        await mine.send_json_to({"type": "ping"})
        assert await until(mine, "pong")  # the frames after the receipts did not wait
        assert len(written) <= 1
    # The socket wrote what it took before it ended: the first, then the latest.
    assert written == [seen[0], seen[-1]]
    stored = await database_sync_to_async(Conversation.objects.get)(pk=conversation.pk)
    assert stored.citizen_read_seq == seen[-1]


async def last_seq(conversation) -> int:
    stored = await database_sync_to_async(Conversation.objects.get)(pk=conversation.pk)
    return stored.last_seq
