"""Sign-in brute force: django-axes locks one account from one address after five failures."""

import base64
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.urls import reverse

from tests.portal.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
ATTACKER = "203.0.113.7"
NEIGHBOUR = "203.0.113.8"
LOGIN = "/accounts/login/"


def sign_in(client, username: str, password: str, address: str = ATTACKER):
    return client.post(LOGIN, {"login": username, "password": password}, REMOTE_ADDR=address)


def fail(client, username: str, times: int, address: str = ATTACKER) -> list[int]:
    return [sign_in(client, username, "wrong-password", address).status_code for _ in range(times)]


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_five_failures_lock_and_the_right_password_is_refused(client, citizen):
    # The fifth failure already answers with the lockout, so the citizen learns at once.
    assert fail(client, citizen.username, 5) == [200, 200, 200, 200, 429]
    response = sign_in(client, citizen.username, PASSWORD)
    content = response.content.decode()
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert "Вход временно заблокирован" in content
    assert "Попробуйте снова через 15 минут." in content
    assert 'id="main-content"' in content  # the portal's own layout, not a bare message
    assert not signed_in(client)


def test_four_failures_do_not_lock(client, citizen):
    assert fail(client, citizen.username, 4) == [200] * 4
    assert sign_in(client, citizen.username, PASSWORD).status_code == 302
    assert signed_in(client)


def test_lockout_holds_for_the_admin_sign_in_too(client, citizen):
    fail(client, citizen.username, 5)
    response = client.post(
        reverse("admin:login"),
        {"username": citizen.username, "password": PASSWORD},
        REMOTE_ADDR=ATTACKER,
    )
    assert response.status_code == 429
    assert not signed_in(client)


def test_the_account_is_not_locked_from_another_address(client, citizen):
    fail(client, citizen.username, 6)
    assert sign_in(client, citizen.username, PASSWORD, NEIGHBOUR).status_code == 302
    assert signed_in(client)


def test_another_account_is_not_locked_from_the_same_address(client, citizen, other_citizen):
    fail(client, citizen.username, 6)
    assert sign_in(client, other_citizen.username, PASSWORD).status_code == 302
    assert signed_in(client)


def test_sign_in_works_again_after_the_cool_off(client, citizen):
    fail(client, citizen.username, 5)
    assert sign_in(client, citizen.username, PASSWORD).status_code == 429
    # Fifteen minutes and a second pass: the attempts are older than the cool-off.
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= timedelta(minutes=15, seconds=1)
        attempt.save(update_fields=["attempt_time"])
    assert sign_in(client, citizen.username, PASSWORD).status_code == 302
    assert signed_in(client)


def test_a_refusal_during_the_lockout_restarts_the_cool_off(client, citizen):
    fail(client, citizen.username, 5)
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= timedelta(minutes=14)
        attempt.save(update_fields=["attempt_time"])
    assert sign_in(client, citizen.username, "wrong-password").status_code == 429
    attempt = AccessAttempt.objects.get()
    attempt.attempt_time -= timedelta(minutes=2)  # 16 minutes after the fifth failure
    attempt.save(update_fields=["attempt_time"])
    assert sign_in(client, citizen.username, PASSWORD).status_code == 429


def test_staff_can_lift_the_lockout_with_axes_reset(client, citizen):
    fail(client, citizen.username, 5)
    reset(ip=ATTACKER, username=citizen.username)
    assert sign_in(client, citizen.username, PASSWORD).status_code == 302


def test_a_successful_sign_in_resets_the_count(client, citizen):
    fail(client, citizen.username, 4)
    assert sign_in(client, citizen.username, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    # Eight failures in all, never five in a row.
    assert fail(client, citizen.username, 4) == [200] * 4
    assert sign_in(client, citizen.username, PASSWORD).status_code == 302
    assert signed_in(client)


def test_lockout_page_in_english(client, citizen):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    fail(client, citizen.username, 5)
    content = sign_in(client, citizen.username, PASSWORD).content.decode()
    assert "Try again in 15 minutes." in content
    assert '<html lang="en"' in content


def test_cool_off_comes_from_the_settings_and_is_said_in_words(client, citizen, settings):
    settings.AXES_COOLOFF_TIME = timedelta(hours=1, minutes=1)
    fail(client, citizen.username, 5)
    response = sign_in(client, citizen.username, PASSWORD)
    assert "Попробуйте снова через 1 час 1 минуту." in response.content.decode()
    assert response["Retry-After"] == "3660"


# --- The API accepts no passwords ----------------------------------------------------------


def basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def test_api_refuses_http_basic_credentials(client, citizen):
    response = client.get("/api/v1/appeals/", HTTP_AUTHORIZATION=basic(citizen.username, PASSWORD))
    assert response.status_code == 401
    client.force_login(citizen)  # a session still works
    assert client.get("/api/v1/appeals/").status_code == 200


def test_api_schema_advertises_no_basic_authentication(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    schemes = schema["components"]["securitySchemes"]
    assert "basicAuth" not in schemes
    assert all(scheme.get("scheme") != "basic" for scheme in schemes.values())
    assert "cookieAuth" in schemes


@pytest.mark.parametrize(
    ("minutes", "words"),
    [
        (1, "1 минуту"),
        (2, "2 минуты"),
        (15, "15 минут"),
        (21, "21 минуту"),
        (60, "1 час"),
        (125, "2 часа 5 минут"),
        (300, "5 часов"),
    ],
)
def test_wait_in_words_uses_russian_plurals(minutes, words):
    from portal.views import wait_in_words

    assert wait_in_words(timedelta(minutes=minutes)) == words


def test_wait_in_words_rounds_seconds_up():
    from portal.views import wait_in_words

    assert wait_in_words(timedelta(seconds=61)) == "2 минуты"


def test_the_test_clients_login_still_works_behind_axes(client, citizen):
    assert client.login(username=citizen.username, password=PASSWORD)
    assert signed_in(client)
    client.logout()
    assert not client.login(username=citizen.username, password="wrong-password")


def test_changing_the_case_of_the_name_buys_no_new_attempts(client, citizen):
    names = [citizen.username.upper(), citizen.username, citizen.username.title()] * 2
    statuses = [sign_in(client, name, "wrong-password").status_code for name in names[:5]]
    assert statuses == [200, 200, 200, 200, 429]
    assert sign_in(client, citizen.username, PASSWORD).status_code == 429


@pytest.mark.parametrize("field", ["username", "email", "login"])
def test_the_lockout_counts_the_name_whichever_field_carries_it(field, rf):
    # django-allauth (planned) authenticates with `email` or `username`, its form posts `login`.
    from portal.signin import signin_username

    request = rf.post("/accounts/login/", {field: " Anna@Example.org "})
    assert signin_username(request, None) == "anna@example.org"
    assert signin_username(rf.post("/"), {field: "Anna@Example.org"}) == "anna@example.org"
    assert signin_username(rf.post("/"), {}) is None


# --- The lockout counts the account, however the login is written ---------------------------

PHONE = "+79161234567"
# Every writing the sign-in accepts for one account: its name, its e-mail in any case, and
# the phone as people and browsers write it.
WRITINGS = [
    "citizen-test",
    "CITIZEN-TEST@example.org",
    "8 916 123-45-67",
    "+7 (916) 123-45-67",
    "tel:+7-916-123-45-67",
    "89161234567",
    "+7 916 123 45 67 доб. 1",
    "citizen-test@EXAMPLE.ORG",
]


@pytest.fixture
def citizen_with_phone(citizen):
    citizen.phone = PHONE
    citizen.save(update_fields=["phone"])
    return citizen


def test_every_writing_of_the_login_signs_in_to_the_same_account(client, citizen_with_phone):
    for writing in WRITINGS:
        assert sign_in(client, writing, PASSWORD).status_code == 302, writing
        assert client.session["_auth_user_id"] == str(citizen_with_phone.pk)
        client.post(reverse("logout"))


def test_new_writings_of_the_login_buy_no_new_attempts(client, citizen_with_phone):
    statuses = [sign_in(client, writing, "wrong-password").status_code for writing in WRITINGS[:5]]
    assert statuses == [200, 200, 200, 200, 429]
    # The right password in a writing not tried yet: the account itself is locked.
    for writing in WRITINGS[5:]:
        assert sign_in(client, writing, PASSWORD).status_code == 429, writing
    assert not signed_in(client)
    # From elsewhere the citizen still signs in, by phone too.
    assert sign_in(client, "8 (916) 123-45-67", PASSWORD, NEIGHBOUR).status_code == 302


def test_staff_lift_the_lockout_by_the_account_name_whatever_was_typed(client, citizen_with_phone):
    for writing in WRITINGS[2:7]:
        sign_in(client, writing, "wrong-password")
    assert AccessAttempt.objects.get().username == citizen_with_phone.username
    reset(username=citizen_with_phone.username)
    assert sign_in(client, PHONE, PASSWORD).status_code == 302


def test_an_unknown_login_is_counted_by_its_normalised_form(client, citizen_with_phone):
    unknown_phone = ["8 903 000-00-01", "+7 (903) 000-00-01", "tel:+79030000001", "9030000001"]
    unknown_email = ["nobody@example.org", "NoBody@Example.org", " nobody@EXAMPLE.org "]
    statuses = [sign_in(client, w, "wrong").status_code for w in unknown_phone + unknown_phone]
    assert statuses[:5] == [200, 200, 200, 200, 429]
    statuses = [sign_in(client, w, "wrong").status_code for w in unknown_email * 2]
    assert statuses[:5] == [200, 200, 200, 200, 429]
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {
        "+79030000001",
        "nobody@example.org",
    }
    # Neither counted against the real account.
    assert sign_in(client, PHONE, PASSWORD).status_code == 302


def test_one_address_guessing_at_many_accounts_is_refused_for_all(client, settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 12
    victims = [UserFactory(username=f"victim{n}") for n in range(4)]
    # Four guesses at each account stay under the per-account limit...
    statuses = [
        sign_in(client, victim.username, "wrong").status_code
        for victim in victims
        for _ in range(3)
    ]
    assert statuses == [200] * 11 + [429]
    # ...but the address has used its twelve: every account, even the right password, waits.
    assert sign_in(client, victims[3].username, PASSWORD).status_code == 429
    fresh = UserFactory(username="fresh")
    assert sign_in(client, fresh.username, PASSWORD).status_code == 429
    # Another address is not affected.
    assert sign_in(client, fresh.username, PASSWORD, NEIGHBOUR).status_code == 302


def test_an_attackers_own_sign_in_does_not_wipe_the_address_count(client, settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 8
    attacker, victim, other = (UserFactory(username=n) for n in ("attacker", "victim", "other"))
    assert [sign_in(client, victim.username, "wrong").status_code for _ in range(4)] == [200] * 4
    assert sign_in(client, attacker.username, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    statuses = [sign_in(client, other.username, "wrong").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
