"""Shared helpers for the benchmarks: a throwaway database, a real daphne, timing.

Every benchmark runs against its own SQLite file (or DATABASE_URL if BENCH_DATABASE_URL
is set), starts daphne as a subprocess and measures over keep-alive HTTP from this
process, sequentially, so the figures are latencies rather than throughput.
"""

import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portal.daphne_process import daphne_running, free_port  # noqa: E402, F401

# One key for the benchmark process and the server: sessions made here must be valid there.
SECRET_KEY = "bench-" + "k3y" * 20


def setup_django(name: str) -> str:
    """Point Django at a fresh database for this benchmark and set it up."""
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        path = Path(tempfile.gettempdir()) / f"bench-{name}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ["DEBUG"] = "1"
    # The seeding sends the demo letters: kept in memory, not printed over the figures.
    os.environ["EMAIL_URL"] = "memorymail://"
    os.environ["SECRET_KEY"] = SECRET_KEY
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url


def production_env() -> dict[str, str]:
    """Production-like settings (DEBUG off) for the server under test."""
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "ERROR",
        "STATIC_ROOT": str(Path(tempfile.gettempdir()) / "bench-static"),
    }


@contextmanager
def daphne_server(**settings: str):
    """daphne serving the benchmark database; yields (host, port, pid).

    Keyword arguments are environment settings for the server (`SEARCH_WORD_MEMO="0"`).
    """
    env = {**production_env(), **settings}
    # DEBUG off needs the hashed-name manifest of the static files.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    with daphne_running(env, stderr=subprocess.PIPE) as server:
        yield server.host, server.port, server.pid


def measure(
    host: str,
    port: int,
    paths: Iterable[str],
    *,
    rounds: int,
    headers: dict | None = None,
    warmup: int = 20,
) -> list[float]:
    """Milliseconds per request over one keep-alive connection; every response must be 200."""
    paths = list(paths)
    connection = http.client.HTTPConnection(host, port, timeout=30)
    timings: list[float] = []
    sent = 0
    for i in range(warmup + rounds):
        path = paths[i % len(paths)]
        start = time.perf_counter()
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        response.read()
        elapsed = (time.perf_counter() - start) * 1000
        if response.status != 200:
            raise RuntimeError(f"{path}: HTTP {response.status}")
        sent += 1
        if i >= warmup:
            timings.append(elapsed)
    connection.close()
    return timings


def seeded_appeal(n: int, *, registered, **fields):
    """The n-th appeal the benches seed in bulk (unsaved, for bulk_create): registered at
    `registered`, due a week later; `fields` give its number, topic, author, status…"""
    import datetime

    from support.appeals.models import Appeal

    return Appeal(
        subject=f"Обращение {n}: не приходит СМС с кодом",
        description="Описание обращения для нагрузочного теста.",
        answer_channel="email",
        consent_at=registered,
        consent_version="bench",
        registered_at=registered,
        due_date=registered.date() + datetime.timedelta(days=7),
        deadline_days=5,
        **fields,
    )


def summary(timings: list[float]) -> tuple[float, float]:
    ordered = sorted(timings)
    p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
    return statistics.median(ordered), p95


def peak_memory_kib(pid: int) -> int:
    """The process's peak resident set (VmHWM) in KiB, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def table(rows: list[tuple[str, ...]], header: tuple[str, ...]) -> str:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |"
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = [
        "| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
        for row in rows
    ]
    return "\n".join([line, sep, *body])
