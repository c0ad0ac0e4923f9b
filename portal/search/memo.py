"""What the index says about single words, remembered between requests.

Citizens' words repeat ("заявление", "пароль", "госпошлина"): whether the vocabulary
knows a stem, a misspelling's neighbours, how many documents hold a group of words.
Each answer is kept per process for the kind's current index generation: every write
to the index of a kind starts a new generation (a token in the shared cache, so that
every process sees it), and answers of an older generation are never used.

Only facts about words are kept here, never a query's results: the ranking of the
documents is computed for every request.
"""

import contextlib
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

# Per kind; the oldest answers go first past this many.
MAX_ENTRIES = 20_000

_memos: dict[str, tuple[str, OrderedDict]] = {}
_MISSING = object()


def _generation_key(kind: str) -> str:
    return f"search:generation:{kind}"


def generation_start(*, kind: str) -> None:
    """Forget every remembered answer about `kind`: its index is being written.

    Now, for the writer's own next reads, and again after the commit, for answers
    another process computed in between from what was there before.
    """

    def start() -> None:
        cache.set(_generation_key(kind), uuid.uuid4().hex, timeout=None)

    start()
    transaction.on_commit(start)


def _memo(kind: str) -> OrderedDict:
    key = _generation_key(kind)
    token = cache.get(key)
    if token is None:
        # A cleared or evicted cache: a new generation, nothing remembered is trusted.
        token = uuid.uuid4().hex
        cache.add(key, token, timeout=None)
        token = cache.get(key) or token
    current = _memos.get(kind)
    if current is None or current[0] != token:
        current = (token, OrderedDict())
        _memos[kind] = current
    return current[1]


def recall_many(
    *, kind: str, keys: Iterable[K], compute: Callable[[list[K]], dict[K, V]]
) -> dict[K, V]:
    """The answer for each key; `compute` is called once with the keys not remembered."""
    keys = list(dict.fromkeys(keys))
    if not settings.SEARCH_WORD_MEMO:
        return compute(keys)
    memo = _memo(kind)
    found: dict[K, V] = {}
    missing: list[K] = []
    for key in keys:
        # Threads may share the memo: a key evicted meanwhile is simply computed again.
        answer = memo.get(key, _MISSING)
        if answer is _MISSING:
            missing.append(key)
            continue
        found[key] = answer
        with contextlib.suppress(KeyError):
            memo.move_to_end(key)
    if missing:
        computed = compute(missing)
        for key in missing:
            memo[key] = found[key] = computed[key]
        while len(memo) > MAX_ENTRIES:
            with contextlib.suppress(KeyError):
                memo.popitem(last=False)
    return found
