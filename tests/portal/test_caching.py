"""Version tokens: what is derived from data is keyed by them and dropped with a renewal."""

import pytest
from django.core.cache import cache

from portal.caching import version_renew, version_token

pytestmark = pytest.mark.django_db  # a renewal is repeated after the commit
KEY = "test:version"


def test_a_token_stays_until_renewed():
    first = version_token(KEY)
    assert version_token(KEY) == first
    version_renew(KEY)
    assert version_token(KEY) != first


def test_a_cleared_cache_gives_a_new_token():
    first = version_token(KEY)
    cache.clear()
    assert version_token(KEY) != first


def test_a_renewal_inside_a_transaction_is_renewed_again_at_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        version_renew(KEY)
        during = version_token(KEY)  # what a reader derives before the commit
    assert version_token(KEY) != during
