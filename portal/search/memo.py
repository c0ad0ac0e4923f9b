"""What the index answered, remembered between requests until the index changes.

Citizens' words repeat ("заявление", "пароль", "госпошлина"), and so do whole queries
("не приходит смс"). Two shelves per kind: facts about single words (whether the
vocabulary knows a stem, a misspelling's neighbours, how many documents hold a group of
words; SEARCH_WORD_MEMO) and the ranked results of whole queries with what was derived
from them (SEARCH_RESULT_MEMO). Each answer is kept per process for the kind's current
index generation: every write to the index of a kind starts a new generation (a token in
the shared cache, so that every process sees it), and answers of an older generation are
never used. A query never asked before is computed in full.
"""

import contextlib
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

from django.conf import settings

from portal.caching import version_renew, version_token

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

# Per kind; the oldest answers go first past this many. A result (a page of ids and
# its highlighted titles and snippets) weighs a few kilobytes, a word fact a few bytes.
MAX_ENTRIES = 20_000
MAX_RESULTS = 2_000
WORDS = "words"
RESULTS = "results"

_memos: dict[tuple[str, str], tuple[str, OrderedDict]] = {}
_MISSING = object()


def _generation_key(kind: str) -> str:
    return f"search:generation:{kind}"


def generation_start(*, kind: str) -> None:
    """Forget every remembered answer about `kind`: its index is being written."""
    version_renew(_generation_key(kind))


def generation(*, kind: str) -> str:
    """The token of `kind`'s current generation: it changes with every write to its index,
    so it can key what is derived from the index elsewhere (a rendered page fragment)."""
    return version_token(_generation_key(kind))


def _memo(kind: str, shelf: str) -> OrderedDict:
    token = generation(kind=kind)
    current = _memos.get((kind, shelf))
    if current is None or current[0] != token:
        current = (token, OrderedDict())
        _memos[(kind, shelf)] = current
    return current[1]


def recall_many(
    *, kind: str, keys: Iterable[K], compute: Callable[[list[K]], dict[K, V]]
) -> dict[K, V]:
    """The answer for each key; `compute` is called once with the keys not remembered."""
    keys = list(dict.fromkeys(keys))
    if not settings.SEARCH_WORD_MEMO:
        return compute(keys)
    memo = _memo(kind, WORDS)
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


def recall(*, kind: str, key: Hashable, compute: Callable[[], V]) -> V:
    """The remembered result for `key` (a whole query and its options), or `compute()`.

    The answer is shared by every later request: callers must not change it.
    """
    if not settings.SEARCH_RESULT_MEMO:
        return compute()
    memo = _memo(kind, RESULTS)
    answer = memo.get(key, _MISSING)
    if answer is not _MISSING:
        with contextlib.suppress(KeyError):
            memo.move_to_end(key)
        return answer
    answer = memo[key] = compute()
    while len(memo) > MAX_RESULTS:
        with contextlib.suppress(KeyError):
            memo.popitem(last=False)
    return answer
