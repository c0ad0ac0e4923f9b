"""The chat under the page's own traffic: 500 open chats on two daphnes over Redis.

Every chat has two sockets as the pages open them: the citizen's on one daphne, the
operator's on the other (100 operators, five chats each, plus each operator's workspace
socket). The sockets send what `static/js/chat.js` sends:

- messages at a total rate (100/s by default), half from citizens, half from operators,
  each after a typing mark, each to a random chat;
- a read receipt for every message from the other side a socket receives;
- a ping at the page's interval (`PING_SECONDS`), from every socket, workspace included.

The delivery latency is timed from the sender's socket until the other side's socket has
the message (the action's numbered insert, the commit, the ring through Redis, the other
daphne's send). The baseline is a bare relay (`bench/echo_asgi.py`) on two more daphnes
and the same Redis: 500 rooms of two sockets, a frame group-sent from one to the other, no
session, no database, at the same rate at the same time, so both see the same machine. Its
sockets send the page's traffic too (a typing mark before each message, a read receipt per
message received, a ping every `PING_SECONDS`), so the two differ by what the chat does
with it, not by how much of it there is.

Printed: median / p95 / p99 of both and their ratio, daphne CPU per message (from /proc, the
traffic's reads and pings included), the machine's load average, and where the chat's
daphnes spent their time (a sampling profile of every thread, `bench/sampler.py`).

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> \\
    BENCH_REDIS_URL=redis://127.0.0.1:6379/9 python bench/chat_load.py [--rate 100] [--seconds 30]
"""

import argparse
import asyncio
import json
import os
import random
import time
import uuid
from contextlib import ExitStack, contextmanager
from pathlib import Path

from common import ROOT, daphne_running, production_env, setup_django, table

CHATS = 500
CHATS_PER_OPERATOR = 5
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")
PROFILE_DIR = Path(os.environ.get("BENCH_PROFILE_DIR", "/tmp")) / "chat-load-profile"


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def postgres_backends(database: str) -> list[int]:
    """The PostgreSQL server processes serving `database` (their title names it): the
    database's CPU for the chat's work, beside the daphnes' (a database thread waits on it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if title.startswith("postgres:") and f" {database} " in title:
            found.append(int(entry.name))
    return found


def cpu_of(pids: list[int]) -> dict[int, float]:
    """Each process's CPU seconds; one gone since (a connection closed) is left out."""
    found = {}
    for pid in pids:
        try:
            found[pid] = cpu_seconds(pid)
        except OSError:
            pass
    return found


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """The CPU the processes used between the readings: those alive at both, and those
    started since (a connection opened again after CONN_MAX_AGE). One that ended in between
    is not counted: a lower bound."""
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())


@contextmanager
def server(app: str, extra_env: dict | None = None, port: int | None = None):
    env = {
        **production_env(),
        # As production runs: the deferred work (the inbox's copy of unread answers) queued
        # in the database for `manage.py db_worker`.
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "CHAT_DB_THREADS": os.environ.get("CHAT_DB_THREADS", "8"),
        "REDIS_URL": REDIS,
        **(extra_env or {}),
        "PYTHONPATH": f"{ROOT}:{ROOT / 'bench'}",
    }
    with daphne_running(env, application=app, port=port) as daphne:
        yield daphne.port, daphne.pid


def seed() -> tuple[list[tuple[int, str, str]], list[str]]:
    """500 citizens, each with a conversation held by one of 100 operators; cookies.

    Returns (conversation id, citizen cookie, operator cookie) per chat and the operators'
    cookies."""
    from django.conf import settings
    from django.contrib.auth import load_backend
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from portal.models import User
    from support.appeals.roles import roles_ensure
    from support.chat.models import Conversation, Status
    from tests.support.appeals.factories import operator_make

    call_command("flush", interactive=False, verbosity=0)
    roles_ensure()
    # The first backend that loads users, as Django's test client picks it (channels'
    # get_user refuses a session naming another).
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

    operators = [operator_make(f"bench-operator-{n}") for n in range(CHATS // CHATS_PER_OPERATOR)]
    operator_cookies = [cookie(o) for o in operators]
    citizens = User.objects.bulk_create(
        [
            User(username=f"bench-citizen-{n}", first_name="Гражданин", last_name=f"{n}")
            for n in range(CHATS)
        ]
    )
    conversations = Conversation.objects.bulk_create(
        [
            Conversation(
                user=c, status=Status.OPERATOR, operator=operators[n // CHATS_PER_OPERATOR]
            )
            for n, c in enumerate(citizens)
        ]
    )
    return [
        (c.pk, cookie(u), operator_cookies[n // CHATS_PER_OPERATOR])
        for n, (c, u) in enumerate(zip(conversations, citizens, strict=True))
    ], operator_cookies


async def open_socket(port: int, path: str, cookie: str | None = None):
    from websockets.asyncio.client import connect

    headers = {"Cookie": cookie} if cookie else {}
    return await connect(
        f"ws://127.0.0.1:{port}{path}",
        origin=f"http://127.0.0.1:{port}",
        additional_headers=headers,
        open_timeout=60,
        max_queue=None,
    )


class PageSocket:
    """One page's socket: reads everything, answers the other side's messages with a read
    receipt, pings at the page's interval, records when a timed message arrives."""

    def __init__(self, ws, side: str, arrivals: dict, ping_seconds: float) -> None:
        self.ws, self.side, self.arrivals = ws, side, arrivals
        self.ping_seconds = ping_seconds
        self.frames = 0
        self.errors: list[dict] = []

    async def hello(self) -> None:
        await self.ws.send(json.dumps({"type": "hello", "after": 0}))
        while json.loads(await asyncio.wait_for(self.ws.recv(), 30))["type"] != "state":
            pass

    async def read_loop(self) -> None:
        own = "citizen" if self.side == "citizen" else "operator"
        async for raw in self.ws:
            self.frames += 1
            data = json.loads(raw)
            kind = data.get("type")
            if kind == "message":
                key = (data.get("client_id"), self.side)
                if key in self.arrivals and self.arrivals[key] is None:
                    self.arrivals[key] = time.perf_counter()
                if data.get("sender") != own:
                    await self.ws.send(json.dumps({"type": "read", "seq": data["seq"]}))
            elif kind == "error":
                self.errors.append(data)

    async def ping_loop(self) -> None:
        await asyncio.sleep(random.uniform(0, self.ping_seconds))  # pages opened at any time
        while True:
            await self.ws.send(json.dumps({"type": "ping"}))
            await asyncio.sleep(self.ping_seconds)


class RelaySocket(PageSocket):
    """The bare relay's side of a room, with the page's traffic: a read receipt per message
    from the other side (the relay reads and drops it), a typing mark before each message
    (relayed), pings at the page's interval (answered by the socket)."""

    async def read_loop(self) -> None:
        async for raw in self.ws:
            data = json.loads(raw)
            if data.get("type") != "message":
                continue
            key = (data["client_id"], self.side)
            if data.get("from") == self.side:
                continue  # its own, relayed back to the room
            if key in self.arrivals and self.arrivals[key] is None:
                self.arrivals[key] = time.perf_counter()
            await self.ws.send(json.dumps({"type": "read", "seq": data.get("seq", 0)}))


async def gather_in_batches(factories, batch: int = 50) -> list:
    opened = []
    for i in range(0, len(factories), batch):
        opened += await asyncio.gather(*[f() for f in factories[i : i + batch]])
    return opened


async def traffic(
    chat_ports,
    relay_ports,
    chats,
    operator_cookies,
    *,
    rate,
    seconds,
    warmup,
    on_measure,
    on_measured,
):
    from support.chat.rules import PING_SECONDS

    arrivals: dict = {}
    relay_arrivals: dict = {}
    citizen_port, operator_port = chat_ports
    pairs = []
    for pk, citizen_cookie, operator_cookie in chats:
        pairs.append(
            (
                lambda pk=pk, c=citizen_cookie: open_socket(citizen_port, f"/ws/chat/{pk}/", c),
                lambda pk=pk, c=operator_cookie: open_socket(operator_port, f"/ws/chat/{pk}/", c),
            )
        )
    citizen_ws = await gather_in_batches([p[0] for p in pairs])
    operator_ws = await gather_in_batches([p[1] for p in pairs])
    workspace_ws = await gather_in_batches(
        [lambda c=c: open_socket(operator_port, "/ws/chat/operator/", c) for c in operator_cookies]
    )
    citizens = [PageSocket(ws, "citizen", arrivals, PING_SECONDS) for ws in citizen_ws]
    operators = [PageSocket(ws, "operator", arrivals, PING_SECONDS) for ws in operator_ws]
    workspaces = [PageSocket(ws, "workspace", arrivals, PING_SECONDS) for ws in workspace_ws]
    for i in range(0, CHATS, 50):
        await asyncio.gather(*[s.hello() for s in citizens[i : i + 50] + operators[i : i + 50]])
    relay_a = await gather_in_batches(
        [lambda r=r: open_socket(relay_ports[0], f"/ws/relay/{r}/") for r in range(CHATS)]
    )
    relay_b = await gather_in_batches(
        [lambda r=r: open_socket(relay_ports[1], f"/ws/relay/{r}/") for r in range(CHATS)]
    )
    relay_sides = [
        [RelaySocket(ws, "citizen", relay_arrivals, PING_SECONDS) for ws in relay_a],
        [RelaySocket(ws, "operator", relay_arrivals, PING_SECONDS) for ws in relay_b],
    ]
    tasks = [asyncio.create_task(s.read_loop()) for s in citizens + operators + workspaces]
    tasks += [asyncio.create_task(s.ping_loop()) for s in citizens + operators + workspaces]
    tasks += [asyncio.create_task(s.read_loop()) for side in relay_sides for s in side]
    tasks += [asyncio.create_task(s.ping_loop()) for side in relay_sides for s in side]

    sent: dict = {}
    relay_sent: dict = {}
    total = int(rate * (seconds + warmup))
    measured_from = int(rate * warmup)
    start = time.perf_counter()
    measured_at = start
    for i in range(total):
        if i == measured_from:
            measured_at = time.perf_counter()
            on_measure()
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        chat = random.randrange(CHATS)
        from_citizen = i % 2 == 0
        sender, receiver = (citizens, "operator") if from_citizen else (operators, "citizen")
        client_id = uuid.uuid4().hex
        page = sender[chat]
        await page.ws.send(json.dumps({"type": "typing"}))
        if i >= measured_from:
            arrivals[(client_id, receiver)] = None
            sent[(client_id, receiver)] = time.perf_counter()
        await page.ws.send(
            json.dumps({"type": "message", "client_id": client_id, "text": f"Вопрос {i}"})
        )
        relay_id = uuid.uuid4().hex
        relay_from = relay_sides[0 if from_citizen else 1][chat]
        relay_frame = json.dumps(
            {
                "type": "message",
                "client_id": relay_id,
                "from": relay_from.side,
                "seq": i,
                "text": f"Вопрос {i}",
            }
        )
        await relay_from.ws.send(json.dumps({"type": "typing"}))
        if i >= measured_from:
            relay_arrivals[(relay_id, receiver)] = None
            relay_sent[(relay_id, receiver)] = time.perf_counter()
        await relay_from.ws.send(relay_frame)
    sent_for = time.perf_counter() - measured_at
    deadline = time.perf_counter() + 30
    while time.perf_counter() < deadline and (
        None in arrivals.values() or None in relay_arrivals.values()
    ):
        await asyncio.sleep(0.2)
    on_measured()  # before the closes: the disconnects' work is not the traffic's
    for task in tasks:
        task.cancel()
    errors = [e for s in citizens + operators + workspaces for e in s.errors]
    for ws in citizen_ws + operator_ws + workspace_ws + relay_a + relay_b:
        await ws.close()

    def latencies(sent_at, arrived):
        return [(arrived[k] - t) * 1000 for k, t in sent_at.items() if arrived.get(k) is not None]

    lost = sum(v is None for v in arrivals.values())
    return {
        "chat": latencies(sent, arrivals),
        "relay": latencies(relay_sent, relay_arrivals),
        "lost": lost,
        "relay_lost": sum(v is None for v in relay_arrivals.values()),
        "errors": errors,
        "messages": len(sent),
        "sent_for": sent_for,
    }


def percentiles(timings: list[float]) -> tuple[float, float, float]:
    ordered = sorted(timings)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return at(0.5), at(0.95), at(0.99)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=100.0, help="messages per second")
    parser.add_argument("--seconds", type=float, default=30.0, help="measured seconds")
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument(
        "--ports",
        type=int,
        default=int(os.environ.get("BENCH_PORTS", "0")),
        help="the first of four ports for the daphnes (default: any free ones)",
    )
    options = parser.parse_args()
    setup_django("chat")
    chats, operator_cookies = seed()
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    profile = {} if options.no_profile else {"BENCH_PROFILE": str(PROFILE_DIR)}
    if profile:
        PROFILE_DIR.mkdir(parents=True, exist_ok=True)
        for old in [*PROFILE_DIR.glob("*.json"), PROFILE_DIR / "start", PROFILE_DIR / "stop"]:
            old.unlink(missing_ok=True)
    with ExitStack() as stack:
        ports = [options.ports + n if options.ports else None for n in range(4)]
        relay_a = stack.enter_context(server("echo_asgi:application", port=ports[0]))
        relay_b = stack.enter_context(server("echo_asgi:application", port=ports[1]))
        chat_a = stack.enter_context(server("sampled_asgi:application", profile, ports[2]))
        chat_b = stack.enter_context(server("sampled_asgi:application", profile, ports[3]))
        pids = {"chat": [chat_a[1], chat_b[1]], "relay": [relay_a[1], relay_b[1]]}
        before: dict = {}
        from django.conf import settings

        database = settings.DATABASES["default"]["NAME"]

        def cpu_now() -> None:
            if profile:
                (PROFILE_DIR / "start").touch()
            # The daphnes' connections are open by now (the warm-up used them).
            pids["postgres"] = postgres_backends(database)
            before.update({side: cpu_of(ps) for side, ps in pids.items()})
            before["generator"] = time.process_time()
            before["at"] = time.perf_counter()

        after: dict = {}

        def cpu_then() -> None:
            pids["postgres"] = postgres_backends(database)
            after.update({side: cpu_of(ps) for side, ps in pids.items()})
            after["generator"] = time.process_time()
            after["at"] = time.perf_counter()
            if profile:
                (PROFILE_DIR / "stop").touch()

        load_before = os.getloadavg()
        result = asyncio.run(
            traffic(
                (chat_a[0], chat_b[0]),
                (relay_a[0], relay_b[0]),
                chats,
                operator_cookies,
                rate=options.rate,
                seconds=options.seconds,
                warmup=options.warmup,
                on_measure=cpu_now,
                on_measured=cpu_then,
            )
        )
        measured = after["at"] - before["at"]
        generator = (after["generator"] - before["generator"]) / measured
        load_after = os.getloadavg()
    sampler = 0.0
    if profile:
        from sampler import sampler_seconds

        sampler = sampler_seconds(PROFILE_DIR)
    used = {side: cpu_used(before[side], after[side]) for side in pids}
    if profile:
        # The profiler's own thread runs in the chat's daphnes only: not the chat's cost.
        used["chat"] -= sampler
    cpu = {side: used[side] * 1000 / result["messages"] for side in pids}
    idle = {side: used[side] / measured for side in pids}
    chat, relay = percentiles(result["chat"]), percentiles(result["relay"])
    rows = [
        (
            "bare relay, Redis, two daphnes",
            *(f"{v:.1f}" for v in relay),
            "1.0×",
            f"{cpu['relay']:.2f}",
            f"{result['relay_lost']}",
        ),
        (
            "chat, Redis + PostgreSQL, two daphnes",
            *(f"{v:.1f}" for v in chat),
            " / ".join(f"{c / r:.1f}×" for c, r in zip(chat, relay, strict=True)),
            f"{cpu['chat']:.2f}",
            f"{result['lost']}",
        ),
    ]
    print(
        f"{CHATS} open chats ({2 * CHATS + len(operator_cookies)} sockets), "
        f"{options.rate:.0f} messages/s for {options.seconds:.0f} s "
        f"({result['messages']} timed, sent in {result['sent_for']:.1f} s), each with a typing "
        "mark, a read receipt per message received, pings every 20 s from every socket"
    )
    print(
        "load average before / after: "
        + ", ".join(f"{x:.2f}" for x in load_before)
        + " / "
        + ", ".join(f"{x:.2f}" for x in load_after)
    )
    print(
        table(
            rows,
            (
                "path",
                "median ms",
                "p95 ms",
                "p99 ms",
                "× relay (median / p95 / p99)",
                "daphne CPU ms/message",
                "not arrived in 30 s",
            ),
        )
    )
    print(
        f"the load generator (this process) used {generator:.2f} CPU-s/s while measuring "
        "(1.00 is a whole core: then it, not the servers, sets the pace)"
    )
    codes = {}
    for error in result["errors"]:
        codes[error.get("code")] = codes.get(error.get("code"), 0) + 1
    print(f"errors answered to the pages: {codes or 'none'}")
    print(
        f"daphne CPU over the {measured:.1f} s measured, all the traffic: chat "
        f"{idle['chat']:.3f} CPU-s/s, relay {idle['relay']:.3f} CPU-s/s"
        + (f" (the profiler's own {sampler / measured:.3f} CPU-s/s taken out)" if profile else "")
    )
    print(
        "PostgreSQL's server processes of the chat's database (those that ended while "
        "measuring not counted): "
        f"{idle['postgres']:.3f} CPU-s/s, {cpu['postgres']:.2f} ms per message"
    )
    if profile:
        from sampler import report

        print(report(PROFILE_DIR))


if __name__ == "__main__":
    main()
