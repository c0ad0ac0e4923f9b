"""Nobody learns from the portal whether an address or a phone belongs to an account."""

import re

import pytest
from django.core import mail
from django.test import Client

from tests.portal.factories import UserFactory

pytestmark = pytest.mark.django_db
RESET = "/accounts/password/reset/"
PROBER = "203.0.113.66"


def csrf_free(page: str) -> str:
    page = re.sub(r'"X-CSRFToken": "[^"]+"', "", page)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def reset(email: str, address: str = PROBER):
    return Client(REMOTE_ADDR=address).post(RESET, {"email": email}, follow=True)


def test_password_reset_answers_the_same_for_an_unknown_address(citizen):
    known, unknown = reset(citizen.email), reset("nobody@example.org")
    assert known.status_code == unknown.status_code == 200
    assert (
        known.redirect_chain == unknown.redirect_chain == [("/accounts/password/reset/done/", 302)]
    )
    page = unknown.content.decode()
    assert csrf_free(page) == csrf_free(known.content.decode())
    assert "Если этот адрес указан в учётной записи" in page
    # Only the account's owner gets a link; the unknown address is told no account exists.
    to_citizen, to_nobody = mail.outbox
    assert to_citizen.to == [citizen.email] and "/accounts/password/reset/key/" in to_citizen.body
    assert to_nobody.to == ["nobody@example.org"]
    assert "/accounts/password/reset/key/" not in to_nobody.body


def test_password_reset_is_limited_per_address_whatever_the_answer(settings, citizen):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": False, "reset_password": "5/h/ip,3/h/key"}
    statuses = [reset(f"probe{n}@example.org").status_code for n in range(5)]
    assert statuses == [200] * 5
    response = reset(citizen.email)  # a real account's address gets the same refusal
    assert response.status_code == 429
    assert "Попробуйте снова через" in response.content.decode()
    assert not any(citizen.email in message.to for message in mail.outbox)
    # Another client is not affected.
    assert reset(citizen.email, "198.51.100.1").status_code == 200


@pytest.mark.parametrize("exists", [True, False])
def test_password_reset_is_limited_per_target_from_any_address(settings, exists):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": False, "reset_password": "20/h/ip,3/h/key"}
    target = "target@example.org"
    if exists:
        UserFactory(username="target", email=target)
    statuses = [
        reset(target.upper() if n % 2 else target, f"198.51.100.{n}").status_code for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    assert len(mail.outbox) == 3  # three letters at most, whoever asks


def test_the_default_reset_limits_count_every_request(settings):
    from allauth.core.internal.ratelimit import get_rates

    ip, key = sorted(get_rates(app="allauth.account", action="reset_password"), key=lambda r: r.per)
    assert (ip.per, ip.amount, ip.duration) == ("ip", 20, 3600)
    assert (key.per, key.amount, key.duration) == ("key", 3, 3600)
    statuses = [reset(f"probe{n}@example.org").status_code for n in range(21)]
    assert statuses == [200] * 20 + [429]
