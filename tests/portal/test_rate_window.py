"""`portal.ratelimits.window_admit`, the chat's per-person limit: one rule on both caches.

On Redis it is one script (one round trip), on the in-memory cache a get and a set; the same
sequence must be admitted and refused at the same points, with the same waits."""

import os

import pytest
from django.core.cache import caches

from portal import ratelimits

REDIS_URL = os.environ.get("REDIS_URL", "")
BACKENDS = {
    "memory": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "redis": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "window-test",
    },
}


@pytest.fixture(params=["memory", "redis"])
def backend(request, settings):
    if request.param == "redis" and not REDIS_URL:
        pytest.skip("needs REDIS_URL: the Redis the processes share")
    settings.CACHES = {**settings.CACHES, "default": BACKENDS[request.param]}
    caches["default"].clear()
    yield request.param
    caches["default"].clear()


class Clock:
    def __init__(self, monkeypatch) -> None:
        self.now = 1_000_000.0
        monkeypatch.setattr(ratelimits.time, "time", lambda: self.now)

    def at(self, seconds: float) -> None:
        self.now = 1_000_000.0 + seconds


def admit(entry: str) -> float | None:
    return ratelimits.window_admit("person-1", entry, limit=3, seconds=10)


def test_the_window_refuses_and_readmits_at_the_same_points_on_both_caches(backend, monkeypatch):
    clock = Clock(monkeypatch)
    seen = []
    for at, entry in [(0, "a"), (1, "b"), (2, "c"), (3, "d"), (3, "a"), (4, "d")]:
        clock.at(at)
        seen.append((entry, admit(entry)))
    # Three in ten seconds; the fourth waits until the oldest leaves; an admitted one is
    # admitted again (a resend), and counts once.
    assert seen == [("a", None), ("b", None), ("c", None), ("d", 7), ("a", None), ("d", 6)]
    clock.at(10)  # "a" (at 0) has left the window, "b" and "c" have not
    assert admit("d") is None
    assert admit("b") is None
    assert admit("e") == pytest.approx(1)
    clock.at(11.5)
    assert admit("e") is None
    assert admit("f") == pytest.approx(0.5)


def test_windows_of_two_people_are_apart(backend, monkeypatch):
    Clock(monkeypatch)
    for entry in "abc":
        assert admit(entry) is None
    assert admit("d") is not None
    assert ratelimits.window_admit("person-2", "d", limit=3, seconds=10) is None


def test_on_redis_the_window_is_one_round_trip(backend, monkeypatch):
    if backend != "redis":
        pytest.skip("the in-memory cache has no round trips")
    from redis.client import Redis

    calls = []
    real = Redis.execute_command

    def counted(self, *args, **options):
        calls.append(args[0])
        return real(self, *args, **options)

    monkeypatch.setattr(Redis, "execute_command", counted)
    admit("a")
    calls.clear()
    admit("b")
    admit("a")
    assert calls == ["EVALSHA", "EVALSHA"]
