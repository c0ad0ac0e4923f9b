"""The real server in a subprocess, as production starts it: for the tests that need the
server itself (Twisted's limits), the benchmarks and the CI's API check.

Importing this module needs neither Django's settings nor daphne: the child process sets
itself up from the environment it is given.
"""

import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASGI_APPLICATION = "portal.asgi:application"


class DaphneDidNotStart(RuntimeError):
    pass


@dataclass(frozen=True)
class Daphne:
    host: str
    port: int
    process: subprocess.Popen

    @property
    def pid(self) -> int:
        return self.process.pid


def free_port() -> int:
    """A port nobody listens on now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def daphne_start(
    env: Mapping[str, str],
    *,
    application: str = ASGI_APPLICATION,
    port: int | None = None,
    timeout: float = 30,
    stderr=subprocess.DEVNULL,
) -> Daphne:
    """Start `daphne <application>` on 127.0.0.1 and return once it accepts connections.

    Raises DaphneDidNotStart (with what the server printed, when stderr is a pipe) if it
    exits or does not listen within `timeout` seconds."""
    port = port or free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), application],
        cwd=ROOT,
        env=dict(env),
        stdout=subprocess.DEVNULL,
        stderr=stderr,
    )
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return Daphne("127.0.0.1", port, process)
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                said = process.stderr.read().decode() if process.stderr else ""
                raise DaphneDidNotStart(said or "daphne did not start") from None
            time.sleep(0.1)


def daphne_stop(daphne: Daphne, *, timeout: float = 10) -> None:
    daphne.process.terminate()
    try:
        daphne.process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        daphne.process.kill()
        daphne.process.wait()


@contextmanager
def daphne_running(env: Mapping[str, str], **options) -> Iterator[Daphne]:
    """`daphne_start` for the length of a `with` block."""
    daphne = daphne_start(env, **options)
    try:
        yield daphne
    finally:
        daphne_stop(daphne)
