"""Appeals through a real daphne: the operator queue with 100,000 appeals, and uploads.

1. The queue (/support/operator/appeals/, a supervisor who sees everything) with
   100,000 appeals on SQLite: median and p95 per filter, next to a bare Django view
   measured in the same run; and the number of SQL queries per page, at 1,000 and at
   100,000 appeals (it must not grow). Target: p95 <= 200 ms.
2. The feedback form with 5 x 10 MB files, both ways the browser can send them: five
   uploads of one file each (the page's script) and one multipart POST with all five
   (no JavaScript). Prints the server's peak resident memory (VmHWM) before and after.

    python bench/appeals.py [--rounds 200] [--appeals 100000]
"""

import argparse
import http.client
import os
import re
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    daphne_server,
    measure,
    peak_memory_kib,
    seeded_appeal,
    setup_django,
    summary,
    table,
)

MB = 1024 * 1024
# The benchmark posts many forms from one address; the limits are tested elsewhere.
os.environ.update(APPEALS_FORM_RATE="100000/h", APPEALS_UPLOAD_RATE="100000/h")
os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="bench-appeals-media-")


def grow_to(count: int) -> None:
    """Bulk-insert appeals in every status, with deadlines spread over a year."""
    import datetime
    import random

    from django.utils import timezone

    from portal.models import User
    from support.appeals.models import Appeal, Status, Topic

    rng = random.Random(20261125)
    topics = list(Topic.objects.all())
    staff = list(User.objects.filter(username__in=["operator", "supervisor"])) + [None] * 3
    statuses = [
        Status.REGISTERED,
        Status.IN_PROGRESS,
        Status.CLARIFICATION,
        Status.ANSWERED,
        Status.CLOSED,
    ]
    now = timezone.now()
    existing = Appeal.objects.count()
    batch = []
    for n in range(existing, count):
        registered = now - datetime.timedelta(minutes=rng.randint(0, 60 * 24 * 365))
        batch.append(
            seeded_appeal(
                n,
                registered=registered,
                number=str(20_000_000 + n),
                topic=rng.choice(topics),
                email=f"user{n}@example.org",
                status=rng.choice(statuses),
                operator=rng.choice(staff),
            )
        )
        if len(batch) == 5000:
            Appeal.objects.bulk_create(batch)
            batch = []
    Appeal.objects.bulk_create(batch)


def session_cookie(username: str) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from portal.models import User

    user = User.objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


QUEUE_VARIANTS = {
    "queue, page 1": "/support/operator/appeals/",
    "queue, overdue only": "/support/operator/appeals/?overdue=on",
    "queue, one topic": "/support/operator/appeals/?topic=2",
    "queue, assigned to me": "/support/operator/appeals/?mine=on",
    "queue, page 40": "/support/operator/appeals/?page=40",
    "queue, htmx fragment": "/support/operator/appeals/?status=registered",
}


def query_counts() -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from portal.models import User

    client = Client()
    client.force_login(User.objects.get(username="supervisor"))
    counts = {}
    for name, path in QUEUE_VARIANTS.items():
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        counts[name] = len(captured.captured_queries)
    return counts


# --- Uploads -----------------------------------------------------------------------------


class Browser:
    """Cookies and CSRF over one keep-alive connection, like a browser tab."""

    def __init__(self, host: str, port: int):
        self.connection = http.client.HTTPConnection(host, port, timeout=300)
        self.cookies: dict[str, str] = {}

    def _headers(self, extra: dict | None = None) -> dict:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        headers.update(extra or {})
        return headers

    def _remember(self, response) -> None:
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, rest = value.split("=", 1)
                self.cookies[name] = rest.split(";", 1)[0]

    def get(self, path: str) -> str:
        self.connection.request("GET", path, headers=self._headers())
        response = self.connection.getresponse()
        body = response.read().decode()
        self._remember(response)
        return body

    def post_multipart(
        self, path: str, fields: dict, files: list[tuple[str, int]], extra: dict | None = None
    ) -> int:
        """Stream the body from a generator: the client never holds it whole either."""
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(
                (
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
                    f"\r\n\r\n{value}\r\n"
                ).encode()
            )
        heads = [
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
                f'filename="{name}"\r\nContent-Type: application/pdf\r\n\r\n'
            ).encode()
            for name, _size in files
        ]
        tail = f"--{boundary}--\r\n".encode()
        length = sum(map(len, parts)) + sum(map(len, heads)) + sum(s + 2 for _n, s in files)
        length += len(tail)

        def body():
            yield from parts
            for head, (_name, size) in zip(heads, files, strict=True):
                yield head
                yield b"%PDF-1.4\n"
                left = size - 9
                block = os.urandom(MB)
                while left > 0:
                    yield block[: min(MB, left)]
                    left -= MB
                yield b"\r\n"
            yield tail

        headers = self._headers(
            {
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Content-Length": str(length),
                "X-CSRFToken": self.cookies.get("csrftoken", ""),
                **(extra or {}),
            }
        )
        self.connection.request("POST", path, body=body(), headers=headers, encode_chunked=False)
        response = self.connection.getresponse()
        response.read()
        self._remember(response)
        return response.status


def form_fields(html: str, topic_id: int) -> dict:
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    return {
        "csrfmiddlewaretoken": csrf,
        "token": token,
        "topic": topic_id,
        "subject": "Большие файлы",
        "description": "Пять файлов по 10 МБ.",
        "email": "bench@example.org",
        "answer_channel": "email",
        "consent": "on",
    }


def _script_uploads(tab: "Browser", topic_id: int, files) -> None:
    fields = form_fields(tab.get("/support/feedback/"), topic_id)
    for file in files:
        status = tab.post_multipart("/support/feedback/files/", {"token": fields["token"]}, [file])
        assert status == 201, status
    assert tab.post_multipart("/support/feedback/", fields, []) == 302


def _one_post(tab: "Browser", topic_id: int, files) -> None:
    fields = form_fields(tab.get("/support/feedback/"), topic_id)
    assert tab.post_multipart("/support/feedback/", fields, files) == 302


def _bare_post(tab: "Browser", topic_id: int, files) -> None:
    tab.get("/healthz/")
    # No CSRF token: Django parses the multipart body looking for one, then says 403.
    assert tab.post_multipart("/healthz/", {"x": "1"}, files) == 403


UPLOAD_SCENARIOS = [
    ("same body to a bare view (daphne + Django's parser)", _bare_post),
    ("feedback form, one file per request (the page's script)", _script_uploads),
    ("feedback form, all five in one POST (no JavaScript)", _one_post),
]


def upload_bench(topic_id: int) -> list[tuple[str, ...]]:
    """Each scenario on a fresh daphne, so every peak is its own."""
    from support.appeals.models import Appeal

    rows = []
    files = [(f"scan{i}.pdf", 10 * MB) for i in range(5)]
    for name, scenario in UPLOAD_SCENARIOS:
        with daphne_server() as (host, port, pid):
            tab = Browser(host, port)
            tab.get("/healthz/")
            before = peak_memory_kib(pid)
            started = time.perf_counter()
            scenario(tab, topic_id, files)
            elapsed = time.perf_counter() - started
            after = peak_memory_kib(pid)
        rows.append(
            (
                name,
                f"{elapsed:.1f}",
                f"{before / 1024:.0f}",
                f"{after / 1024:.0f}",
                f"+{(after - before) / 1024:.0f}",
            )
        )
    appeals = Appeal.objects.filter(email="bench@example.org")
    assert appeals.count() == 2 and all(a.attachments.count() == 5 for a in appeals)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--appeals", type=int, default=100_000)
    args = parser.parse_args()
    url = setup_django("appeals")
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)

    grow_to(1000)
    small_counts = query_counts()
    started = time.perf_counter()
    grow_to(args.appeals)
    print(f"{args.appeals:,} appeals ready in {time.perf_counter() - started:.1f} s", flush=True)
    large_counts = query_counts()

    from support.appeals.models import Topic

    cookie = session_cookie("supervisor")
    topic_id = Topic.objects.order_by("pk").first().pk
    with daphne_server() as (host, port, pid):
        figures = {"bare view": summary(measure(host, port, ["/healthz/"], rounds=args.rounds))}
        for name, path in QUEUE_VARIANTS.items():
            headers = {"Cookie": cookie}
            if "htmx" in name:
                headers.update({"HX-Request": "true", "HX-Target": "appeal-queue"})
            figures[name] = summary(
                measure(host, port, [path], rounds=args.rounds, headers=headers)
            )

    print(
        f"\nOperator queue, {args.appeals:,} appeals, {args.rounds} sequential requests per "
        f"row, database {url.split(':')[0]}"
    )
    bare = figures["bare view"][0]
    rows = []
    for name, (median, p95) in figures.items():
        queries = "" if name == "bare view" else f"{small_counts[name]} / {large_counts[name]}"
        rows.append((name, f"{median:.1f}", f"{p95:.1f}", f"{median / bare:.1f}×", queries))
    print(table(rows, ("page", "median ms", "p95 ms", "× bare", "queries 1k / 100k")))
    worst = max(p95 for name, (_m, p95) in figures.items() if name != "bare view")
    print(f"worst queue p95: {worst:.1f} ms (target ≤ 200 ms): {'OK' if worst <= 200 else 'OVER'}")
    print(f"query counts constant: {'OK' if small_counts == large_counts else 'NO'}")
    uploads = upload_bench(topic_id)
    print("\n5 × 10 MB of attachments (daphne's peak resident memory, VmHWM, MiB)")
    print(table(uploads, ("how", "seconds", "before", "peak", "growth")))


if __name__ == "__main__":
    main()
