"""Real threads racing on the database the suite runs on (SQLite by default, PostgreSQL
with DATABASE_URL): the one way the concurrency tests start them."""

import threading
from collections.abc import Callable

from django.db import connection


def at_once(work: Callable, count: int = 2, *, first: Callable | None = None) -> list:
    """`work(i)` for each i < count, each in its own thread with its own connection, all
    released together by a barrier. With `first`, each thread runs `first(i)` before the
    barrier and calls `work(i, what_first_returned)`. Returns per thread what `work`
    returned, or the exception it raised (the test inspects which)."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index: int) -> None:
        try:
            arguments = (index,) if first is None else (index, first(index))
            barrier.wait(timeout=10)
            results[index] = work(*arguments)
        except Exception as error:  # noqa: BLE001 - handed to the test to inspect
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results
