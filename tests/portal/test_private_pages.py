"""Nothing a signed-in person is sent, and no page opened from a letter's link, is kept by a
browser or a proxy: `Cache-Control: private, no-store`, found by walking the URLconf."""

import re

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.portal.application_factories import application
from tests.portal.factories import UserFactory
from tests.support.appeals.factories import appeal_make

pytestmark = pytest.mark.django_db


def routes(patterns=None, prefix: str = ""):
    """Every route of the URLconf, as written (path converters and regexes left in)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def filled(route: str, values: dict[str, str]) -> str | None:
    """The route with its parameters filled from `values`; None when one is unknown."""
    path = route.replace("^", "").replace("$", "")
    for name in re.findall(r"\(\?P<(\w+)>[^)]*\)|<(?:\w+:)?(\w+)>", path):
        key = next(part for part in name if part)
        if key not in values:
            return None
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values[m.group(1)], path)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], path)
    return "/" + path


def assert_private(response, path: str) -> None:
    control = response.get("Cache-Control", "")
    assert "private" in control and "no-store" in control, (path, response.status_code, control)


@pytest.fixture
def owned(citizen) -> dict[str, str]:
    """Parameters that name the citizen's own things."""
    appeal = appeal_make(author=citizen)
    app = application(user=citizen)
    return {"number": appeal.number, "code": "0", "pk": "0", "key": "0", "category": "x"} | {
        "app": app.number
    }


def test_every_page_a_signed_in_citizen_gets_is_private(client, citizen, owned):
    client.force_login(citizen)
    walked = 0
    for route in routes():
        if route.startswith(("admin/", "api/docs", "api/schema", "favicon", "healthz")):
            continue
        path = filled(route, owned)
        if path is None or "logout" in path:
            continue
        response = client.get(path)
        if response.status_code == 200:  # a page or an answer with content
            assert_private(response, path)
            walked += 1
    assert walked > 25
    # allauth's own pages among them: the addresses, the password.
    for path in (
        "/accounts/email/",
        "/accounts/password/change/",
        f"/my/applications/{owned['app']}/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_private(response, path)


def test_an_email_confirmation_link_page_is_private(citizen):
    address = EmailAddress.objects.create(user=citizen, email="new@example.org", verified=False)
    key = EmailConfirmationHMAC(address).key
    response = Client().get(f"/accounts/confirm-email/{key}/")
    assert response.status_code == 200
    assert "new@example.org" in response.content.decode()
    assert_private(response, "confirm-email")


def test_a_password_reset_link_page_is_private():
    user = UserFactory(username="forgetful")
    key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
    client = Client()
    response = client.get(f"/accounts/password/reset/key/{key}/", follow=True)
    assert response.status_code == 200
    assert "Новый пароль" in response.content.decode()
    for hop, _status in response.redirect_chain:
        assert_private(client.get(hop), hop)
    assert_private(response, "reset-from-key")


def test_public_pages_for_a_visitor_stay_cacheable_where_they_were(client):
    # The catalogue's list is cached by the visitor's browser for five minutes.
    response = client.get("/services/")
    assert "no-store" not in response.get("Cache-Control", "")
