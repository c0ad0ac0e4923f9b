"""The citizen cabinet through a real daphne: "Мои заявки" with 500 items, and how fast a
department's status change reaches an open WebSocket.

1. A citizen with 500 items of four kinds (300 service applications, 120 appeals, 50 chats,
   30 call-backs):
   the list (/my/applications/), its htmx fragment and the cabinet home, median and p95,
   next to a bare Django view (/healthz/) measured in the same run; SQL queries per page.
2. A status change posted to the department API (its key, as a department's system does)
   until the message reaches a WebSocket client connected to /ws/notifications/: median
   and p95 over sequential changes, with the in-memory channel layer and, when --redis is
   given (or REDIS_URL is set), with the Redis one.

    python bench/cabinet.py [--rounds 200] [--changes 100] [--redis redis://127.0.0.1:6379/7]
"""

import argparse
import asyncio
import datetime
import http.client
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    daphne_server,
    measure,
    seeded_appeal,
    setup_django,
    summary,
    table,
)

CITIZEN = "bench-citizen"
APPLICATIONS = 300
APPEALS = 120
CHATS = 50
CALLBACKS = 30
ITEMS = APPLICATIONS + APPEALS + CHATS + CALLBACKS


def seed_items() -> str:
    """The citizen with 500 items; returns a department key for the API."""
    from django.utils import timezone

    from portal.applications.models import (
        Application,
        ApplicationEvent,
        Department,
        DepartmentAPIKey,
        Status,
    )
    from portal.catalogue.models import Service
    from portal.channels import ChannelKind
    from portal.models import User
    from support.appeals.models import Appeal, Topic
    from support.appeals.models import Status as AppealStatus
    from support.callbacks.models import Callback, CallbackSlot
    from support.callbacks.models import Status as CallbackStatus
    from support.callbacks.models import Topic as CallbackTopic
    from support.chat.models import Conversation
    from support.chat.models import Status as ChatStatus
    from support.contacts.models import ContactChannel

    rng = random.Random(20261130)
    user, _ = User.objects.get_or_create(username=CITIZEN, defaults={"email": "b@example.org"})
    department, _ = Department.objects.get_or_create(code="bench", defaults={"name": "Ведомство"})
    services = list(Service.objects.all()[:30])
    topics = list(Topic.objects.all())
    now = timezone.now()
    statuses = list(Status)
    applications = []
    for n in range(APPLICATIONS):
        submitted = now - datetime.timedelta(minutes=rng.randint(0, 60 * 24 * 200))
        status = Status.IN_REVIEW if n == 0 else rng.choice(statuses)
        applications.append(
            Application(
                number=str(9_000_000_000 + n),
                user=user,
                service=rng.choice(services),
                department=department,
                status=status,
                refusal_reason="Причина" if status == Status.REFUSED else "",
                submitted_at=submitted,
                status_changed_at=submitted + datetime.timedelta(days=1),
                expected_date=submitted.date() + datetime.timedelta(days=rng.randint(1, 40)),
            )
        )
    Application.objects.bulk_create(applications)
    ApplicationEvent.objects.bulk_create(
        ApplicationEvent(
            application=a, at=a.submitted_at, to_status=Status.ACCEPTED, actor_kind="department"
        )
        for a in Application.objects.filter(user=user)
    )
    appeal_statuses = list(AppealStatus)
    appeals = []
    for n in range(APPEALS):
        registered = now - datetime.timedelta(minutes=rng.randint(0, 60 * 24 * 200))
        appeals.append(
            seeded_appeal(
                n,
                registered=registered,
                number=str(30_000_000 + n),
                author=user,
                topic=rng.choice(topics),
                email="b@example.org",
                status=rng.choice(appeal_statuses),
            )
        )
    Appeal.objects.bulk_create(appeals)
    chat_statuses = list(ChatStatus)
    chats = []
    for _n in range(CHATS):
        started = now - datetime.timedelta(minutes=rng.randint(0, 60 * 24 * 200))
        status = rng.choice(chat_statuses)
        closed = status == ChatStatus.CLOSED
        chats.append(
            Conversation(
                user=user,
                status=status,
                created_at=started,
                closed_at=started + datetime.timedelta(minutes=20) if closed else None,
                rating=rng.choice([None, 5]) if closed else None,
            )
        )
    Conversation.objects.bulk_create(chats)
    channel = ContactChannel.objects.filter(kind=ChannelKind.CALLBACK).first()
    if channel is None:
        channel = ContactChannel.objects.create(kind=ChannelKind.CALLBACK, title="Обратный звонок")
    callback_statuses = list(CallbackStatus)
    for n in range(CALLBACKS):
        starts = now.replace(minute=0, second=0, microsecond=0) + datetime.timedelta(
            hours=rng.randint(-24 * 30, 24 * 10), minutes=30 * (n % 2)
        )
        slot, _ = CallbackSlot.objects.get_or_create(
            channel=channel,
            starts_at=starts,
            defaults={"ends_at": starts + datetime.timedelta(minutes=30)},
        )
        Callback.objects.create(
            number=str(50_000_000 + n),
            user=user,
            phone="+79161234567",
            topic=CallbackTopic.OTHER,
            slot=slot,
            status=rng.choice(callback_statuses),
        )
    _, key = DepartmentAPIKey.objects.create_key(name="bench", department=department)
    return key


def session_cookie(username: str) -> str:
    """A signed-in session, written by Django's own login with the configured backends.

    A hand-made session naming a backend that is no longer in AUTHENTICATION_BACKENDS
    (ModelBackend, before the accounts moved to allauth's backend) is silently
    anonymous: every page answered with a redirect to the sign-in form.
    """
    from django.conf import settings
    from django.test import Client

    from portal.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


PAGES = {
    "Мои заявки, all, page 1": ("/my/applications/?state=all", {}),
    "Мои заявки, active, by expected date": ("/my/applications/?sort=expected", {}),
    "Мои заявки, htmx fragment, page 5": (
        "/my/applications/?state=all&page=5",
        {"HX-Request": "true", "HX-Target": "tracker-results"},
    ),
    "Мои заявки, search by number": ("/my/applications/?state=all&number=9000001", {}),
    "cabinet home (/my/)": ("/my/", {}),
}


def query_counts() -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from portal.models import User

    client = Client()
    client.force_login(User.objects.get(username=CITIZEN))
    counts = {}
    for name, (path, headers) in PAGES.items():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path, headers=headers).status_code == 200
        counts[name] = len(captured)
    return counts


async def ws_latency(
    host: str, port: int, cookie: str, key: str, changes: int, first: str
) -> list[float]:
    """POST a status change, time until the socket hears it; alternate two statuses."""
    import websockets

    number = "9000000000"  # the one left on review
    url = f"ws://{host}:{port}/ws/notifications/"
    timings = []
    async with websockets.connect(
        url, origin=f"http://{host}:{port}", additional_headers={"Cookie": cookie}
    ) as socket:
        connection = http.client.HTTPConnection(host, port, timeout=30)

        def post(status: str) -> int:
            body = json.dumps({"status": status})
            connection.request(
                "POST",
                f"/api/v1/department/applications/{number}/status/",
                body=body,
                headers={"Authorization": f"Api-Key {key}", "Content-Type": "application/json"},
            )
            response = connection.getresponse()
            response.read()
            return response.status

        for i in range(changes + 5):
            status = "in_review" if (i % 2 == 0) == (first == "in_review") else "action_required"
            started = time.perf_counter()
            posted = asyncio.get_running_loop().run_in_executor(None, post, status)
            message = json.loads(await asyncio.wait_for(socket.recv(), timeout=10))
            elapsed = (time.perf_counter() - started) * 1000
            if await posted != 200:
                raise RuntimeError("the department API refused the change")
            assert number in message["data"]["title"], message
            if i >= 5:  # warm-up
                timings.append(elapsed)
        connection.close()
    return timings


def first_move() -> str:
    """The move the watched application can make now (it alternates between two)."""
    from portal.applications.models import Application

    current = Application.objects.get(number="9000000000").status
    return "action_required" if current == "in_review" else "in_review"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--changes", type=int, default=100)
    parser.add_argument("--redis", default=os.environ.get("REDIS_URL", ""))
    args = parser.parse_args()
    url = setup_django("cabinet")
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)
    key = seed_items()
    counts = query_counts()
    cookie = session_cookie(CITIZEN)

    figures = {}
    with daphne_server() as (host, port, _pid):
        figures["bare view (/healthz/)"] = summary(
            measure(host, port, ["/healthz/"], rounds=args.rounds)
        )
        for name, (path, headers) in PAGES.items():
            figures[name] = summary(
                measure(
                    host, port, [path], rounds=args.rounds, headers={"Cookie": cookie, **headers}
                )
            )
    print(
        f'\n"Мои заявки": a citizen with {ITEMS} items ({APPLICATIONS} applications, '
        f"{APPEALS} appeals, {CHATS} chats, {CALLBACKS} call-backs), {args.rounds} sequential "
        f"requests per row, database {url.split(':')[0]}, load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    bare = figures["bare view (/healthz/)"][0]
    rows = [
        (name, f"{m:.1f}", f"{p95:.1f}", f"{m / bare:.1f}×", str(counts.get(name, "")))
        for name, (m, p95) in figures.items()
    ]
    print(table(rows, ("page", "median ms", "p95 ms", "× bare", "queries")), flush=True)

    print(
        f"\nA department's status change reaching an open WebSocket, {args.changes} changes, "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    rows = []
    layers = [("in-memory", "")] + ([("Redis", args.redis)] if args.redis else [])
    for label, redis_url in layers:
        if redis_url:
            os.environ["REDIS_URL"] = redis_url
        else:
            os.environ.pop("REDIS_URL", None)
        with daphne_server() as (host, port, _pid):
            timings = asyncio.run(ws_latency(host, port, cookie, key, args.changes, first_move()))
        median, p95 = summary(timings)
        rows.append((label, f"{median:.1f}", f"{p95:.1f}", f"{max(timings):.1f}"))
    print(table(rows, ("channel layer", "median ms", "p95 ms", "max ms")))


if __name__ == "__main__":
    main()
