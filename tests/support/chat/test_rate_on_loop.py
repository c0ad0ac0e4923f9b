"""The chat's per-person limit asked from a socket's event loop (`window_admit_async`):
the same rule and store as `window_admit`, on both caches, and no database thread held
while Redis answers."""

import threading

import pytest
from channels.db import database_sync_to_async

from portal import ratelimits
from support.chat.actions import common
from support.chat.models import Message, Status
from tests.portal import test_rate_window
from tests.portal.test_rate_window import Clock
from tests.support.chat.factories import chat_make
from tests.support.chat.test_consumers import socket, until

start = database_sync_to_async(chat_make)
# The same two caches as the blocking form's tests.
backend = test_rate_window.backend


@pytest.mark.asyncio
async def test_the_loops_window_answers_as_the_blocking_one_on_both_caches(backend, monkeypatch):
    clock = Clock(monkeypatch)
    sequence = [(0, "a"), (1, "b"), (2, "c"), (3, "d"), (3, "a"), (4, "d"), (10, "d"), (10, "e")]
    seen = []
    for at, entry in sequence:
        clock.at(at)
        seen.append((entry, await ratelimits.window_admit_async("p", entry, limit=3, seconds=10)))
    assert seen == [
        ("a", None),
        ("b", None),
        ("c", None),
        ("d", 7),
        ("a", None),  # admitted once, admitted again
        ("d", 6),
        ("d", None),  # "a" has left the window
        ("e", pytest.approx(1)),
    ]
    # One store: the blocking form sees what the loop's admitted, and the other way round.
    assert ratelimits.window_admit("p", "d", limit=3, seconds=10) is None
    assert ratelimits.window_admit("p", "f", limit=3, seconds=10) == pytest.approx(1)
    clock.at(11.5)
    assert ratelimits.window_admit("p", "f", limit=3, seconds=10) is None
    assert await ratelimits.window_admit_async("p", "g", limit=3, seconds=10) == pytest.approx(0.5)


@pytest.mark.asyncio
async def test_on_redis_the_loops_window_is_one_round_trip(backend):
    if backend != "redis":
        pytest.skip("the in-memory cache has no round trips")
    from redis.asyncio.client import Redis

    calls = []
    real = Redis.execute_command

    async def counted(self, *args, **options):
        calls.append(args[0])
        return await real(self, *args, **options)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Redis, "execute_command", counted)
        await ratelimits.window_admit_async("p", "a", limit=3, seconds=10)
        calls.clear()
        await ratelimits.window_admit_async("p", "b", limit=3, seconds=10)
        await ratelimits.window_admit_async("p", "a", limit=3, seconds=10)
    assert calls == ["EVALSHA", "EVALSHA"]


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_sockets_message_asks_the_limit_on_the_loop_not_a_database_thread(
    people, monkeypatch
):
    """The limit's round trip is awaited by the socket, holding none of the few database
    threads; the limit still refuses the eleventh message and never a resent stored one."""
    blocking, on_loop = [], []
    loop_thread = threading.get_ident()
    real_blocking, real_async = common.window_admit, common.window_admit_async

    def counted_blocking(*args, **kwargs):
        blocking.append(args[0])
        return real_blocking(*args, **kwargs)

    async def counted_async(*args, **kwargs):
        on_loop.append(threading.get_ident())
        return await real_async(*args, **kwargs)

    monkeypatch.setattr(common, "window_admit", counted_blocking)
    monkeypatch.setattr(common, "window_admit_async", counted_async, raising=False)
    citizen, operator = people["citizen"], people["operator"]
    conversation = await start(user=citizen, status=Status.OPERATOR, operator=operator)
    async with socket(f"/ws/chat/{conversation.pk}/", user=citizen) as ws:
        await ws.send_json_to({"type": "hello", "after": 0})
        for n in range(10):
            await ws.send_json_to({"type": "message", "client_id": f"n{n}", "text": f"{n}"})
            await until(ws, "ack", client_id=f"n{n}")
        await ws.send_json_to({"type": "message", "client_id": "n10", "text": "ещё"})
        error = await until(ws, "error", client_id="n10")
        assert error["code"] == "rate" and 1 <= error["retry_after"] <= 10
        await ws.send_json_to({"type": "message", "client_id": "n3", "text": "3"})
        assert (await until(ws, "ack", client_id="n3"))["seq"] > 0
    assert blocking == []
    assert len(on_loop) == 12 and set(on_loop) == {loop_thread}
    stored = database_sync_to_async(
        lambda: Message.objects.filter(conversation=conversation, client_id__startswith="n").count()
    )
    assert await stored() == 10
