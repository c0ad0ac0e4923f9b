"""The visitor key: stored with FAQ votes and pending uploads, so its format never changes."""

import pytest
from django.contrib.auth.models import AnonymousUser

from portal.visitors import visitor_key
from tests.portal.factories import UserFactory


@pytest.mark.django_db
def test_a_signed_in_visitor_is_known_by_their_account_in_any_session():
    user = UserFactory()
    assert visitor_key(user=user, session_key="one") == f"u{user.pk}"
    assert visitor_key(user=user, session_key="") == f"u{user.pk}"


@pytest.mark.parametrize("user", [None, AnonymousUser()])
def test_an_anonymous_visitor_is_a_hash_of_the_session_never_the_session_key(user):
    # The value stored before this helper existed: "s" + the first 40 hex digits of SHA-256.
    assert visitor_key(user=user, session_key="abc") == "sba7816bf8f01cfea414140de5dae2223b00361a3"


def test_different_sessions_are_different_visitors():
    assert visitor_key(user=None, session_key="one") != visitor_key(user=None, session_key="two")
