"""Accounts (django-allauth): registration with a confirmed e-mail, sign-in by username,
e-mail or phone, password reset, and the refusals a citizen must understand."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from portal.models import User
from tests.portal.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
STRONG = "Sinyaya-Reka-2026"


def signup_data(**overrides) -> dict:
    data = {
        "last_name": "Петрова",
        "first_name": "Анна",
        "middle_name": "Сергеевна",
        "email": "anna@example.org",
        "phone": "8 (916) 555-12-34",
        "username": "anna",
        "password1": STRONG,
        "password2": STRONG,
    }
    return data | overrides


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_register_confirm_then_sign_in(client):
    response = client.post("/accounts/signup/", signup_data())
    assert response.status_code == 302
    assert not signed_in(client)  # nothing before the address is confirmed
    user = User.objects.get(username="anna")
    assert (user.last_name, user.middle_name, user.phone) == (
        "Петрова",
        "Сергеевна",
        "+79165551234",
    )
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["anna@example.org"]

    link = link_in(mail.outbox[0])
    path = link.split("testserver", 1)[-1]
    page = client.get(path)
    assert "Подтвердите, что адрес anna@example.org ваш" in page.content.decode()
    assert not EmailAddress.objects.get(email="anna@example.org").verified  # GET confirms nothing
    client.post(path)
    assert EmailAddress.objects.get(email="anna@example.org").verified

    response = client.post("/accounts/login/", {"login": "anna", "password": STRONG})
    assert response.status_code == 302
    assert signed_in(client)


def test_unconfirmed_account_is_refused_and_told_why_with_send_again(client):
    client.post("/accounts/signup/", signup_data())
    mail.outbox.clear()
    response = client.post("/accounts/login/", {"login": "anna", "password": STRONG}, follow=True)
    content = response.content.decode()
    assert not signed_in(client)
    assert "Войти можно только после подтверждения адреса" in content
    assert "Отправить письмо ещё раз" in content

    mail.outbox.clear()
    response = client.post(
        "/accounts/confirm-email/resend/", {"email": "ANNA@example.org"}, follow=True
    )
    assert "мы отправили письмо ещё раз" in response.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["anna@example.org"]
    client.post(link_in(mail.outbox[0]).split("testserver", 1)[-1])
    client.post("/accounts/login/", {"login": "anna", "password": STRONG})
    assert signed_in(client)


def test_send_again_answers_the_same_for_an_unknown_address(client):
    response = client.post(
        "/accounts/confirm-email/resend/", {"email": "nobody@example.org"}, follow=True
    )
    assert "мы отправили письмо ещё раз" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.parametrize("login", ["Citizen-Test@Example.org", "+7 916 123-45-67", "89161234567"])
def test_sign_in_by_email_or_phone(client, login):
    UserFactory(username="citizen-test", email="citizen-test@example.org", phone="+79161234567")
    response = client.post("/accounts/login/", {"login": login, "password": PASSWORD})
    assert response.status_code == 302
    assert signed_in(client)


def test_phone_with_a_wrong_password_is_refused(client):
    UserFactory(username="citizen-test", phone="+79161234567")
    response = client.post("/accounts/login/", {"login": "+79161234567", "password": "nope"})
    assert response.status_code == 200
    assert "Неверное имя пользователя, e-mail, телефон или пароль" in response.content.decode()
    assert not signed_in(client)


def test_password_reset_by_email_link(client, citizen):
    response = client.post("/accounts/password/reset/", {"email": citizen.email})
    assert response.status_code == 302
    assert mail.outbox[0].to == [citizen.email]
    path = link_in(mail.outbox[0]).split("testserver", 1)[-1]
    response = client.get(path)  # allauth moves the key into the session and redirects
    form_url = response.url if response.status_code == 302 else path
    page = client.get(form_url)
    assert "Новый пароль" in page.content.decode()
    response = client.post(form_url, {"password1": STRONG, "password2": STRONG})
    assert response.status_code == 302
    assert (
        client.post("/accounts/login/", {"login": citizen.username, "password": STRONG}).status_code
        == 302
    )
    assert signed_in(client)


def test_duplicate_email_and_phone_are_told_next_to_their_fields(client):
    UserFactory(username="taken", email="anna@example.org", phone="+79165551234")
    response = client.post("/accounts/signup/", signup_data(email="Anna@Example.org"))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in content
    assert re.search(r'id="id_email_error".*Учётная запись с этим адресом уже есть', content, re.S)
    assert re.search(r'id="id_phone_error".*Этот телефон уже указан', content, re.S)
    assert 'value="Петрова"' in content  # what was typed is kept
    assert not User.objects.filter(username="anna").exists()


def test_weak_password_and_bad_phone_are_refused(client):
    response = client.post(
        "/accounts/signup/",
        signup_data(password1="12345678", password2="12345678", phone="12"),
    )
    content = response.content.decode()
    assert 'id="id_password1_error"' in content
    assert 'id="id_phone_error"' in content and "российский номер" in content
    assert not User.objects.filter(username="anna").exists()


def test_sign_out_needs_a_post(client, citizen):
    client.force_login(citizen)
    client.get("/accounts/logout/")
    assert signed_in(client)
    client.post("/accounts/logout/")
    assert not signed_in(client)


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/accounts/login/", {"login": "x", "password": "y"}),
        ("/accounts/signup/", {}),
        ("/accounts/password/reset/", {"email": "a@example.org"}),
        ("/accounts/confirm-email/resend/", {"email": "a@example.org"}),
    ],
)
def test_anonymous_forms_need_the_csrf_token(url, data):
    assert Client(enforce_csrf_checks=True).post(url, data).status_code == 403


def test_account_forms_carry_autocomplete(client):
    login = client.get("/accounts/login/").content.decode()
    assert 'autocomplete="username"' in login and 'autocomplete="current-password"' in login
    signup = client.get("/accounts/signup/").content.decode()
    for value in ("family-name", "given-name", "email", "tel", "new-password"):
        assert f'autocomplete="{value}"' in signup


def test_demo_accounts_sign_in_with_their_usernames(client):
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)
    for username, password in [("citizen", "citizen-demo"), ("operator", "operator-demo")]:
        response = client.post("/accounts/login/", {"login": username, "password": password})
        assert response.status_code == 302, username
        assert signed_in(client)
        client.post("/accounts/logout/")
