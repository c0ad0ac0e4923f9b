"""Sign-in costs the same password-hashing work whether or not the login names an account."""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client

from tests.portal.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


class CountingHasher(MD5PasswordHasher):
    """The tests' hasher, counting every hash it computes (a check and a set both encode)."""

    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


@pytest.fixture
def hashes(settings):
    account = UserFactory(username="known", email="known@example.org", phone="+79161234567")
    settings.PASSWORD_HASHERS = ["tests.portal.test_signin_timing.CountingHasher"]

    def count(login: str, password: str = "wrong-password") -> int:
        CountingHasher.calls = 0
        Client().post(LOGIN, {"login": login, "password": password}, REMOTE_ADDR="203.0.113.9")
        return CountingHasher.calls

    count.account = account
    return count


@pytest.mark.parametrize(
    ("known", "unknown"),
    [
        ("known@example.org", "unknown@example.org"),
        ("KNOWN@example.org", "nobody@example.org"),
        ("known", "unknown"),
        ("8 916 123-45-67", "8 903 000-00-01"),
    ],
)
def test_a_known_and_an_unknown_login_cost_one_hash_each(hashes, known, unknown):
    assert hashes(known) == 1
    assert hashes(unknown) == 1


def test_the_right_password_costs_one_hash_too(hashes):
    assert hashes("known@example.org", PASSWORD) == 1
