"""Rate limits that tell the visitor how long to wait.

Every limit of the site answers the same way: 429, a `Retry-After` header and "Попробуйте
снова через 4 минуты" — the real time left in the window of the limit that fired. The site's
own limits go through `ratelimit` below (django-ratelimit's fixed windows, whose end it
knows); allauth's limits (sign-up, password reset…) reach `allauth_limited` as the root
URLconf's handler429; the sign-in lockout and the API's throttles say their wait through
`wait_in_words` too.
"""

import asyncio
import contextlib
import time
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from weakref import WeakKeyDictionary

from allauth.account import app_settings as allauth_settings
from allauth.core.internal.ratelimit import get_cache_key, get_rates
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_ratelimit.core import _split_rate, get_usage
from redis.asyncio import Redis as AsyncRedis
from redis.commands.core import AsyncScript
from rest_framework.exceptions import ErrorDetail, Throttled
from rest_framework.views import exception_handler


def setting_rate(name: str) -> Callable[[str, HttpRequest], str]:
    """A limit's rate read from the setting `name` at request time, so deployments (and
    tests) tune it without a restart of the decorators."""
    from django.conf import settings

    return lambda group, request: getattr(settings, name)


def wait_in_words(delta: timedelta) -> str:
    """ "45 секунд", "15 минут", "1 час 30 минут": how long to wait.

    Under a minute in seconds; otherwise rounded up to a whole minute, so nobody who waits
    as told comes back too early.
    """
    seconds = max(1, -(-int(delta.total_seconds() * 1000) // 1000))
    if seconds < 60:
        return ngettext("%(count)d секунду", "%(count)d секунд", seconds) % {"count": seconds}
    minutes = -(-seconds // 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(count)d час", "%(count)d часов", hours) % {"count": hours})
    if minutes:
        parts.append(ngettext("%(count)d минуту", "%(count)d минут", minutes) % {"count": minutes})
    return " ".join(parts)


def retry_after(delta: timedelta) -> str:
    """The `Retry-After` header's value: whole seconds, rounded up, at least one."""
    return str(max(1, -(-int(delta.total_seconds() * 1000) // 1000)))


def ratelimit(*, group: str, rate: str | Callable, key: str = "ip", method: str = "POST"):
    """django-ratelimit's decorator (never blocking) that also keeps the wait.

    A limited request gets `request.limited` (as django-ratelimit sets it) and
    `request.limited_for`, the time left in the window of the limit that fired (the longest,
    when several limits stack on one view); the view answers with `limited_page` or
    `limited_json`.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            wait = limit_count(request, group=group, rate=rate, key=key, method=method)
            if wait is not None:
                request.limited_for = max(wait, getattr(request, "limited_for", wait))
            request.limited = getattr(request, "limited", False) or hasattr(request, "limited_for")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def limit_count(
    request: HttpRequest,
    *,
    group: str,
    rate: str | Callable,
    key: str = "ip",
    method: str | None = "POST",
) -> timedelta | None:
    """Count one use of a limit: None while within it, else the time left in its window.

    The decorator above counts every request of a view; a view where only some requests
    use the limited thing (an SMS sent) counts those itself through this function.
    """
    usage = get_usage(request, group=group, key=key, rate=rate, method=method, increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    # time_left is -1 when the cache failed: the whole period is the honest wait.
    left = usage["time_left"] if usage["time_left"] >= 0 else _period(rate, request)
    return timedelta(seconds=max(1, left))


def _period(rate, request) -> int:
    value = rate(None, request) if callable(rate) else rate
    return _split_rate(value)[1]


def _wait(request: HttpRequest) -> timedelta:
    return getattr(request, "limited_for", None) or timedelta(minutes=1)


def limited_page(request: HttpRequest, wait: timedelta | None = None) -> HttpResponse:
    """The 429 page: how long to wait, in words and in `Retry-After`."""
    wait = wait or _wait(request)
    response = render(request, "portal/limited.html", {"wait": wait_in_words(wait)}, status=429)
    response["Retry-After"] = retry_after(wait)
    return response


def limited_json(request: HttpRequest) -> JsonResponse:
    """The same answer for a script (the feedback form's uploads)."""
    wait = _wait(request)
    response = JsonResponse({"error": limited_message(wait)}, status=429)
    response["Retry-After"] = retry_after(wait)
    return response


def api_exception_handler(exc, context):
    """DRF's handler, with a throttled request told its wait as the site tells it.

    DRF already sends `Retry-After` from the throttle's own wait; only the words change.
    """
    if isinstance(exc, Throttled) and exc.wait is not None:
        exc.detail = ErrorDetail(
            limited_message(timedelta(seconds=exc.wait)), code=exc.default_code
        )
    return exception_handler(exc, context)


def limited_message(wait: timedelta) -> str:
    return _("Слишком много попыток. Попробуйте снова через %(wait)s.") % {
        "wait": wait_in_words(wait)
    }


# allauth's views name their limits by action; the page that was refused says which.
ALLAUTH_ACTIONS = {
    "account_signup": "signup",
    "account_login": "login",
    "account_reset_password": "reset_password",
    "account_reset_password_from_key": "reset_password_from_key",
    "account_change_password": "change_password",
    "account_set_password": "change_password",
    "account_email": "manage_email",
    "account_reauthenticate": "reauthenticate",
}


def allauth_wait(request: HttpRequest) -> timedelta:
    """The time left before allauth's limit that refused this request lets one more through.

    allauth keeps each limit as a sliding window: the timestamps of the recent hits, newest
    first. A full window opens again when its `amount`-th newest hit grows older than the
    window's duration.
    """
    match = getattr(request, "resolver_match", None)
    action = ALLAUTH_ACTIONS.get(match.url_name if match else "")
    actions = [action] if action else list(allauth_settings.RATE_LIMITS)
    email = (request.POST.get("email") or "").lower() or None
    now = time.time()
    waits = [timedelta(0)]
    for name in actions:
        for rate in get_rates(app="allauth.account", action=name):
            try:
                cache_key = get_cache_key(
                    request, app="allauth.account", action=name, rate=rate, key=email
                )
            except ImproperlyConfigured:  # per key or per user, and this request names none
                continue
            history = [ts for ts in cache.get(cache_key, []) if ts > now - rate.duration]
            if len(history) >= rate.amount:
                opens = history[rate.amount - 1] + rate.duration
                waits.append(timedelta(seconds=opens - now))
    return max(waits) or timedelta(minutes=1)


def allauth_limited(request: HttpRequest) -> HttpResponse:
    """The root URLconf's handler429, which allauth calls for its own limits."""
    return limited_page(request, allauth_wait(request))


# --- A sliding window that remembers what it admitted -------------------------------------
# The rule: at most `limit` entries younger than `seconds` in the window; an entry (a
# message's client id) admitted once is admitted again, never refused, while it is in the
# window; a refusal says when the oldest entry leaves it. On Redis the whole rule is one
# script (one round trip, atomic across processes); on another cache (the in-memory one of
# a single process) the same rule over a get and a set. `tests/portal/test_rate_window.py`
# runs both against the same sequence; `window_admit_async` is the same rule for a socket's
# event loop (tests/support/chat/test_rate_on_loop.py).

_WINDOW_SCRIPT = """
local now, seconds, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - seconds)
if redis.call('ZSCORE', KEYS[1], ARGV[4]) then
  return false
end
if redis.call('ZCARD', KEYS[1]) >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return tostring(tonumber(oldest[2]) + seconds - now)
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], math.ceil(seconds * 1000))
return false
"""
_scripts: WeakKeyDictionary = WeakKeyDictionary()


def window_admit(key: str, entry: str, *, limit: int, seconds: float) -> float | None:
    """Admit `entry` into the window `key` (None), or refuse it: the seconds until the
    window's oldest entry leaves it."""
    now = time.time()
    key = f"window:{key}"
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        return _redis_window_admit(backend, key, entry, limit=limit, seconds=seconds, now=now)
    return _cache_window_admit(backend, key, entry, limit=limit, seconds=seconds, now=now)


async def window_admit_async(key: str, entry: str, *, limit: int, seconds: float) -> float | None:
    """`window_admit` for a caller on an event loop (a chat socket): the same rule and the
    same store, awaited instead of holding a thread. On Redis the same script through
    redis.asyncio; the in-memory cache is no round trip and is asked in place; another
    cache in a thread of its own."""
    now = time.time()
    key = f"window:{key}"
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        script = _async_script(backend)
        wait = await script(
            keys=[backend.make_and_validate_key(key)],
            args=[repr(now), repr(float(seconds)), limit, entry],
        )
        return None if wait is None else float(wait)
    if isinstance(backend, LocMemCache):
        return _cache_window_admit(backend, key, entry, limit=limit, seconds=seconds, now=now)
    return await asyncio.to_thread(
        _cache_window_admit, backend, key, entry, limit=limit, seconds=seconds, now=now
    )


def _cache_window_admit(
    backend, key: str, entry: str, *, limit: int, seconds: float, now: float
) -> float | None:
    recent = [(t, e) for t, e in backend.get(key) or [] if now - t < seconds]
    if any(e == entry for _, e in recent):
        return None
    if len(recent) >= limit:
        return seconds - (now - recent[0][0])
    recent.append((now, entry))
    backend.set(key, recent, seconds)
    return None


def _redis_window_admit(
    backend: RedisCache, key: str, entry: str, *, limit: int, seconds: float, now: float
) -> float | None:
    client = backend._cache.get_client(key, write=True)
    script = _scripts.get(backend)
    if script is None:
        script = _scripts[backend] = client.register_script(_WINDOW_SCRIPT)
    wait = script(
        keys=[backend.make_and_validate_key(key)],
        args=[repr(now), repr(float(seconds)), limit, entry],
        client=client,
    )
    return None if wait is None else float(wait)


# redis.asyncio's connections belong to the event loop that opened them: one client (a
# pool of its own) per loop and Redis server, closed with its loop (a server's loop lives
# as long as the process; a test's closes after the test).
_async_scripts: "WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, AsyncScript]]" = (
    WeakKeyDictionary()
)


def _loop_scripts(loop: asyncio.AbstractEventLoop) -> "dict[str, AsyncScript]":
    scripts = _async_scripts.get(loop)
    if scripts is None:
        scripts = _async_scripts[loop] = {}
        loop_close = loop.close

        def close() -> None:
            for script in _async_scripts.pop(loop, {}).values():
                loop.run_until_complete(script.registered_client.aclose())
            loop_close()

        with contextlib.suppress(AttributeError):  # a loop that takes no attributes
            loop.close = close  # type: ignore[method-assign]
    return scripts


def _async_script(backend: RedisCache) -> "AsyncScript":
    # The server a write goes to (Django's client writes to the first one it is given).
    server = backend._cache._servers[0]
    scripts = _loop_scripts(asyncio.get_running_loop())
    script = scripts.get(server)
    if script is None:
        # The cache's options but its parser, which is the blocking client's.
        options = {k: v for k, v in backend._cache._pool_options.items() if k != "parser_class"}
        client = AsyncRedis.from_url(server, **options)
        script = scripts[server] = client.register_script(_WINDOW_SCRIPT)
    return script


__all__ = [
    "api_exception_handler",
    "allauth_limited",
    "limited_json",
    "limited_message",
    "limited_page",
    "limit_count",
    "ratelimit",
    "retry_after",
    "wait_in_words",
    "window_admit",
    "window_admit_async",
]
