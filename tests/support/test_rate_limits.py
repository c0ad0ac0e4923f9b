"""Every rate limit says how long to wait: in words, in Retry-After, with 429.

The wait is what is really left of the window of the limit that fired, not its whole length.
"""

import zlib
from datetime import timedelta
from types import SimpleNamespace

import django_ratelimit.core
import pytest
from django.test import Client
from django.utils import translation
from rest_framework.throttling import ScopedRateThrottle

from portal.ratelimits import wait_in_words
from tests.support.appeals.factories import TopicFactory

pytestmark = pytest.mark.django_db
ADDRESS = "203.0.113.9"


@pytest.mark.parametrize(
    ("seconds", "russian", "english"),
    [
        (1, "1 секунду", "1 second"),
        (3, "3 секунды", "3 seconds"),
        (45, "45 секунд", "45 seconds"),
        (59.2, "1 минуту", "1 minute"),  # rounded up: nobody comes back too early
        (60, "1 минуту", "1 minute"),
        (61, "2 минуты", "2 minutes"),
        (120, "2 минуты", "2 minutes"),
        (240, "4 минуты", "4 minutes"),
        (300, "5 минут", "5 minutes"),
        (11 * 60, "11 минут", "11 minutes"),
        (21 * 60, "21 минуту", "21 minutes"),
        (22 * 60, "22 минуты", "22 minutes"),
        (3600, "1 час", "1 hour"),
        (3600 + 5 * 60, "1 час 5 минут", "1 hour 5 minutes"),
        (2 * 3600 + 60, "2 часа 1 минуту", "2 hours 1 minute"),
    ],
)
def test_wait_in_words_has_the_right_plural_forms(seconds, russian, english):
    assert wait_in_words(timedelta(seconds=seconds)) == russian
    with translation.override("en"):
        assert wait_in_words(timedelta(seconds=seconds)) == english


@pytest.fixture
def four_minutes_left(monkeypatch):
    """Pin django-ratelimit's clock 240 s before the end of ADDRESS's current window.

    Its windows are fixed, shifted per key by crc32(key) % period; a 10-minute rate is used.
    """
    period = 600
    jitter = zlib.crc32(ADDRESS.encode()) % period
    now = 1_800_000_000 - 1_800_000_000 % period + period + jitter - 240
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: now))
    return "10/10m"


def assert_told_to_wait(response, words: str = "4 минуты", seconds: str = "240"):
    content = response.content.decode()
    assert response.status_code == 429
    assert response["Retry-After"] == seconds
    assert f"Попробуйте снова через {words}." in content
    assert "Подождите немного" not in content


def exhaust(post, times: int = 10):
    for _ in range(times):
        assert post().status_code != 429


def test_lookup_says_the_time_left_in_its_window(four_minutes_left, settings):
    settings.APPEALS_LOOKUP_RATE = four_minutes_left
    client = Client(REMOTE_ADDR=ADDRESS)

    def post():
        return client.post(
            "/support/appeals/lookup/", {"number": "99999999", "email": "e@example.org"}
        )

    exhaust(post)
    response = post()
    assert_told_to_wait(response)
    assert 'id="main-content"' in response.content.decode()  # the site's page, not a stub
    client.cookies["django_language"] = "en"
    response = post()
    assert response.status_code == 429
    assert "Try again in 4 minutes." in response.content.decode()


def test_the_wait_shrinks_as_the_window_passes(monkeypatch, settings):
    settings.APPEALS_LOOKUP_RATE = "1/10m"
    period = 600
    jitter = zlib.crc32(ADDRESS.encode()) % period
    end = 1_800_000_000 - 1_800_000_000 % period + period + jitter
    client = Client(REMOTE_ADDR=ADDRESS)
    data = {"number": "99999999", "email": "e@example.org"}
    for left, words in [(9 * 60 + 30, "10 минут"), (21, "21 секунду")]:
        clock = SimpleNamespace(time=lambda left=left: end - left)
        monkeypatch.setattr(django_ratelimit.core, "time", clock)
        client.post("/support/appeals/lookup/", data)
        response = client.post("/support/appeals/lookup/", data)
        assert_told_to_wait(response, words, str(left))
        # The next window starts afresh.
        client = Client(REMOTE_ADDR=ADDRESS)


def test_escalation_shares_the_lookups_limit_and_says_the_wait(four_minutes_left, settings):
    settings.APPEALS_LOOKUP_RATE = four_minutes_left
    client = Client(REMOTE_ADDR=ADDRESS)
    exhaust(
        lambda: client.post(
            "/support/appeals/lookup/", {"number": "99999999", "email": "e@example.org"}
        )
    )
    response = client.post(
        "/support/escalation/",
        {"number": "99999999", "email": "e@example.org", "reason": "Срок истёк"},
    )
    assert_told_to_wait(response)


def test_feedback_form_says_the_wait(four_minutes_left, settings):
    settings.APPEALS_FORM_RATE = four_minutes_left
    client = Client(REMOTE_ADDR=ADDRESS)
    exhaust(lambda: client.post("/support/feedback/", {"subject": ""}))
    assert_told_to_wait(client.post("/support/feedback/", {"subject": ""}))


def test_feedback_upload_says_the_wait_to_the_script(four_minutes_left, settings):
    settings.APPEALS_UPLOAD_RATE = four_minutes_left
    client = Client(REMOTE_ADDR=ADDRESS)
    exhaust(lambda: client.post("/support/feedback/files/", {"token": "x"}))
    response = client.post("/support/feedback/files/", {"token": "x"})
    assert response.status_code == 429
    assert response["Retry-After"] == "240"
    assert response.json() == {"error": "Слишком много попыток. Попробуйте снова через 4 минуты."}


def test_callback_booking_says_the_wait(four_minutes_left, settings, citizen):
    settings.CALLBACKS_BOOK_RATE = four_minutes_left
    client = Client(REMOTE_ADDR=ADDRESS)
    client.force_login(citizen)
    exhaust(lambda: client.post("/support/callback/", {"phone": "1"}))
    assert_told_to_wait(client.post("/support/callback/", {"phone": "1"}))


def test_confirmation_resend_says_the_wait(monkeypatch):
    # "10/h": pinned 240 s before the end of the hour's window for this address.
    period = 3600
    jitter = zlib.crc32(ADDRESS.encode()) % period
    now = 1_800_000_000 - 1_800_000_000 % period + period + jitter - 240
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: now))
    client = Client(REMOTE_ADDR=ADDRESS)

    def post():
        return client.post("/accounts/confirm-email/resend/", {"email": "x@example.org"})

    exhaust(post)
    assert_told_to_wait(post())


def test_signup_limit_of_allauth_says_the_wait(settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": False, "signup": "2/5m/ip"}
    client = Client(REMOTE_ADDR=ADDRESS)
    for _ in range(2):
        assert client.post("/accounts/signup/", {"email": "bad"}).status_code == 200
    response = client.post("/accounts/signup/", {"email": "bad"})
    assert_told_to_wait(response, "5 минут", "300")


def test_password_reset_limit_of_allauth_says_the_wait(settings, citizen):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": False, "reset_password": "1/3m/key"}
    client = Client(REMOTE_ADDR=ADDRESS)
    assert client.post("/accounts/password/reset/", {"email": citizen.email}).status_code == 302
    response = client.post("/accounts/password/reset/", {"email": citizen.email})
    assert_told_to_wait(response, "3 минуты", "180")


def test_api_throttle_says_the_wait_in_words(monkeypatch, citizen):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"appeals-create": "1/hour"})
    TopicFactory(slug="account")
    client = Client(REMOTE_ADDR=ADDRESS)
    client.force_login(citizen)
    data = {"topic": "account", "subject": "Тема", "description": "Текст", "consent": True}
    assert client.post("/api/v1/appeals/", data, content_type="application/json").status_code == 201
    response = client.post("/api/v1/appeals/", data, content_type="application/json")
    assert response.status_code == 429
    assert response["Retry-After"] in ("3599", "3600")  # the throttle's clock runs on
    assert response.json()["detail"] == "Слишком много попыток. Попробуйте снова через 1 час."
