"""Version tokens in the shared cache.

What is derived from data and kept elsewhere (a process's memory, a rendered fragment, a
cached query) is keyed by the data's token, so it is never used again once a writer
renews the token. The token lives in the shared cache (Redis with several processes), so
every process sees a renewal at once.
"""

import uuid

from django.core.cache import cache
from django.db import transaction


def version_token(key: str) -> str:
    """The current token under `key`; a new one if there is none yet."""
    token = cache.get(key)
    if token is None:
        # A cleared or evicted cache: a new version, nothing derived before is trusted.
        token = uuid.uuid4().hex
        cache.add(key, token, timeout=None)
        token = cache.get(key) or token
    return token


def version_renew(key: str) -> None:
    """A new token now, for the writer's own next reads, and again after the commit, for
    what another process derived in between from the data as it was before."""

    def renew() -> None:
        cache.set(key, uuid.uuid4().hex, timeout=None)

    renew()
    transaction.on_commit(renew)
