"""The chat under load: 500 open chats through a real daphne with production settings.

Measures the delivery latency citizen → operator (a message sent on the citizen's socket
until it arrives on the operator's socket of the same conversation, through the action, the
database and the channel layer), daphne's memory per idle connection and after 1,000
connect / disconnect cycles; and, when Redis answers, the same latency with the citizens on
one daphne and the operators on another (channels-redis between the processes).

The baseline is a bare relay (bench/echo_asgi.py): 500 sockets in 500 groups on the same
channel layer, a frame from one socket group-sent to the other socket of its group, with no
session, no database and no chat. It runs beside the chat, one relay message and one chat
message in turn, so both see the same machine load; the ratio is against it. The one-socket
echo (no layer at all) is printed too, for what a WebSocket round trip costs by itself.
daphne's CPU time per message (from /proc) is printed as well: it moves less with the
machine's load than the latencies do. Loopback only; every step has a time limit.

    python bench/chat_load.py            # BENCH_REDIS_URL defaults to redis://127.0.0.1:6379/8
"""

import asyncio
import json
import os
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from common import (
    ROOT,
    daphne_running,
    production_env,
    setup_django,
    summary,
    table,
)

OPEN_CHATS = 500
SENDERS = 50  # citizens who send (4 messages each: under the 10-in-10-s limit)
ROUNDS = 200
CYCLES = 1000
ORIGIN = "http://127.0.0.1"
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


@contextmanager
def server(app: str, extra_env: dict | None = None):
    env = {**production_env(), **(extra_env or {}), "PYTHONPATH": f"{ROOT}:{ROOT / 'bench'}"}
    with daphne_running(env, application=app) as daphne:
        yield daphne.port, daphne.pid


def seed() -> tuple[list[tuple[int, str]], str]:
    """500 citizens each with a conversation held by one operator; their session cookies."""
    from django.conf import settings
    from django.contrib.auth import load_backend
    from django.contrib.sessions.backends.db import SessionStore

    from portal.models import User
    from support.appeals.roles import roles_ensure
    from support.chat.models import Conversation, Status
    from tests.support.appeals.factories import operator_make

    roles_ensure()
    operator = operator_make("bench-operator")
    # The session must name a backend the server still has (channels' get_user refuses any
    # other, and a refused user is a 403 at the handshake): the first one that loads users,
    # as Django's own test client picks it.
    backend = next(
        path for path in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(path), "get_user")
    )

    def cookie(user: User) -> str:
        session = SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = backend
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session.create()
        return f"sessionid={session.session_key}"

    citizens = User.objects.bulk_create(
        [User(username=f"bench-citizen-{n}") for n in range(OPEN_CHATS)]
    )
    conversations = Conversation.objects.bulk_create(
        [Conversation(user=c, status=Status.OPERATOR, operator=operator) for c in citizens]
    )
    return [(c.pk, cookie(u)) for c, u in zip(conversations, citizens, strict=True)], cookie(
        operator
    )


async def open_socket(url: str, cookie: str | None = None):
    from websockets.asyncio.client import connect

    headers = {"Cookie": cookie} if cookie else {}
    return await connect(url, origin=ORIGIN, additional_headers=headers, open_timeout=30)


async def hello(ws) -> None:
    await ws.send(json.dumps({"type": "hello", "after": 0}))
    while json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] != "state":
        pass


async def open_chats(port: int, chats, *, batch: int = 25):
    sockets = []
    for i in range(0, len(chats), batch):
        part = chats[i : i + batch]
        opened = await asyncio.gather(
            *[open_socket(f"ws://127.0.0.1:{port}/ws/chat/{pk}/", cookie) for pk, cookie in part]
        )
        await asyncio.gather(*[hello(ws) for ws in opened])
        sockets += opened
    return sockets


def chat_frame(i: int) -> tuple[str, object]:
    client_id = uuid.uuid4().hex
    text = json.dumps({"type": "message", "client_id": client_id, "text": f"Вопрос {i}"})
    return text, client_id


def chat_arrived(frame: str, client_id: object) -> bool:
    data = json.loads(frame)
    return data.get("type") == "message" and data.get("client_id") == client_id


def relay_frame(i: int) -> tuple[str, object]:
    # The same size and shape as the chat's frame: the layer carries what the client sent.
    text, client_id = chat_frame(i)
    return text, text


def relay_arrived(frame: str, sent: object) -> bool:
    return frame == sent


async def until(ws, arrived, token) -> None:
    while not arrived(await asyncio.wait_for(ws.recv(), 10), token):
        pass


async def one_message(citizen, operator, i: int, frame, arrived) -> float:
    """Milliseconds until the operator's socket has it; then the citizen's own copy."""
    text, token = frame(i)
    start = time.perf_counter()
    await citizen.send(text)
    await until(operator, arrived, token)
    elapsed = (time.perf_counter() - start) * 1000
    await until(citizen, arrived, token)
    # Let the server finish what follows the delivery (the other sockets' copies, states)
    # before the next message is timed, so neither side pays for the other's tail.
    await asyncio.sleep(0.01)
    return elapsed


async def room_sockets(port: int, rooms: range):
    sockets = []
    for i in range(0, len(rooms), 25):
        sockets += await asyncio.gather(
            *[open_socket(f"ws://127.0.0.1:{port}/ws/relay/{room}/") for room in rooms[i : i + 25]]
        )
    return sockets


async def paired_run(relay_ports, chat_ports, chat_pid, pids, chats, operator_cookie):
    """The relay and the chat side by side, a message through each in turn.

    Returns the relay's and the chat's latencies, the chat daphne's KiB per idle chat and
    the CPU milliseconds per message of the relay's and of the chat's daphnes."""
    relay_citizens = await room_sockets(relay_ports[0], range(OPEN_CHATS))
    relay_operators = await room_sockets(relay_ports[1], range(SENDERS))
    base = rss_kib(chat_pid)
    citizens = await open_chats(chat_ports[0], chats)
    idle = (rss_kib(chat_pid) - base) / len(citizens)
    operators = await open_chats(
        chat_ports[1], [(pk, operator_cookie) for pk, _ in chats[:SENDERS]]
    )
    cpu_before = {side: sum(cpu_seconds(p) for p in ps) for side, ps in pids.items()}
    relay, chat = [], []
    for i in range(ROUNDS + 10):
        n = i % SENDERS
        r = await one_message(relay_citizens[n], relay_operators[n], i, relay_frame, relay_arrived)
        c = await one_message(citizens[n], operators[n], i, chat_frame, chat_arrived)
        if i >= 10:
            relay.append(r)
            chat.append(c)
    cpu = {
        side: (sum(cpu_seconds(p) for p in ps) - cpu_before[side]) * 1000 / (ROUNDS + 10)
        for side, ps in pids.items()
    }
    for ws in relay_citizens + relay_operators + citizens + operators:
        await ws.close()
    return relay, chat, idle, cpu


async def cycles(port: int, pid: int, chats) -> tuple[int, int, int]:
    """Connect, say hello, disconnect, 10 at a time; returns RSS before, after, failures."""
    before = rss_kib(pid)
    failures = 0
    for i in range(0, CYCLES, 10):
        part = [chats[(i + k) % len(chats)] for k in range(10)]
        try:
            sockets = await open_chats(port, part, batch=10)
        except Exception:  # noqa: BLE001 - counted and reported, the run goes on
            failures += 1
            continue
        await asyncio.gather(*[ws.close() for ws in sockets])
    await asyncio.sleep(1)
    return before, rss_kib(pid), failures


async def echo_run(port: int) -> list[float]:
    sockets = [await open_socket(f"ws://127.0.0.1:{port}/ws/echo/") for _ in range(OPEN_CHATS)]
    timings = []
    for i in range(ROUNDS + 10):
        ws = sockets[i % SENDERS]
        text, _ = relay_frame(i)
        start = time.perf_counter()
        await ws.send(text)
        await asyncio.wait_for(ws.recv(), 10)
        if i >= 10:
            timings.append((time.perf_counter() - start) * 1000)
    for ws in sockets:
        await ws.close()
    return timings


def redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS, socket_timeout=1).ping())
    except Exception:  # noqa: BLE001 - any failure means: no Redis here
        return False


def row(path, timings, relay, cpu: float | None = None, note: str = "") -> tuple:
    median, p95 = summary(timings)
    return (
        path,
        f"{median:.1f}",
        f"{p95:.1f}",
        f"{median / relay[0]:.1f}× / {p95 / relay[1]:.1f}×",
        f"{cpu:.1f}" if cpu is not None else "",
        note,
    )


def main() -> None:
    setup_django("chat")
    chats, operator_cookie = seed()
    rows = []
    with server("echo_asgi:application") as (port, _pid):
        echo = asyncio.run(echo_run(port))
    with (
        server("echo_asgi:application") as (relay_port, relay_pid),
        server("portal.asgi:application") as (port, pid),
    ):
        relay_timings, timings, idle, cpu = asyncio.run(
            paired_run(
                (relay_port, relay_port),
                (port, port),
                pid,
                {"relay": [relay_pid], "chat": [pid]},
                chats,
                operator_cookie,
            )
        )
        print(f"chat latency median/p95 {summary(timings)}, idle {idle:.0f} KiB", flush=True)
        before, after, failures = asyncio.run(cycles(port, pid, chats))
    relay = summary(relay_timings)
    rows.append(row("bare echo, one socket, no layer", echo, relay))
    rows.append(row("bare relay, in-memory layer, one daphne", relay_timings, relay, cpu["relay"]))
    rows.append(
        row(
            "chat, in-memory layer, one daphne",
            timings,
            relay,
            cpu["chat"],
            f"{idle:.0f} KiB per idle chat; {CYCLES} connect/disconnect: "
            f"{before / 1024:.0f} → {after / 1024:.0f} MiB, {failures} failed batches",
        )
    )
    if redis_answers():
        import redis

        redis.Redis.from_url(REDIS).flushdb()
        env = {"REDIS_URL": REDIS}
        with (
            server("echo_asgi:application", env) as (relay_a, relay_pid_a),
            server("echo_asgi:application", env) as (relay_b, relay_pid_b),
            server("portal.asgi:application", env) as (port_a, pid_a),
            server("portal.asgi:application", env) as (port_b, pid_b),
        ):
            relay_timings, timings, _, cpu = asyncio.run(
                paired_run(
                    (relay_a, relay_b),
                    (port_a, port_b),
                    pid_a,
                    {"relay": [relay_pid_a, relay_pid_b], "chat": [pid_a, pid_b]},
                    chats,
                    operator_cookie,
                )
            )
        relay = summary(relay_timings)
        rows.append(row("bare relay, Redis layer, two daphnes", relay_timings, relay, cpu["relay"]))
        rows.append(
            row(
                "chat, Redis layer, citizen and operator on two daphnes",
                timings,
                relay,
                cpu["chat"],
            )
        )
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{OPEN_CHATS} open chats, {ROUNDS} messages from {SENDERS} citizens; load {load}")
    print("× bare relay: against the relay on the same layer in the same run (median / p95).")
    print(
        table(
            rows,
            ("path", "median ms", "p95 ms", "× bare relay", "daphne CPU ms/message", "memory"),
        )
    )


if __name__ == "__main__":
    main()
