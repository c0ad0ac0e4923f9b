"""Layout, sign-in, language, the accessibility mode and security headers."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from portal.accessibility import AccessibilityPrefs
from tests.portal.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_base_layout_has_landmarks_skip_link_and_language(client):
    content = client.get("/").content.decode()
    assert '<html lang="ru"' in content
    assert 'href="#main-content"' in content and 'id="main-content"' in content
    for landmark in ("<header", "<nav", "<main", "<footer", 'role="search"'):
        assert landmark in content
    assert "django_htmx/htmx-2.min.js" in content


def test_security_headers_and_csp_without_inline_code(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    content = response.content.decode()
    assert "<script>" not in content and "style=" not in content and " on" + "click" not in content


def test_login_and_logout_in_the_sites_own_templates(client, citizen):
    page = client.get(reverse("login")).content.decode()
    assert 'autocomplete="username"' in page and 'autocomplete="current-password"' in page
    response = client.post(reverse("login"), {"login": citizen.username, "password": PASSWORD})
    assert response.status_code == 302
    assert "Выйти" in client.get("/").content.decode()
    assert client.post(reverse("logout")).status_code == 302
    assert "Войти" in client.get("/").content.decode()


def test_wrong_password_gets_an_error_summary_and_keeps_the_username(client, citizen):
    response = client.post(reverse("login"), {"login": citizen.username, "password": "nope"})
    content = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in content
    assert "Неверное имя пользователя, e-mail, телефон или пароль" in content
    assert f'value="{citizen.username}"' in content


def test_login_ignores_foreign_next(client, citizen):
    response = client.post(
        reverse("login") + "?next=https://evil.example/",
        {"login": citizen.username, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and "evil" not in response.url


def test_english_switch(client, production_caches):
    russian = client.get("/").content.decode()  # the header and footer, kept per language
    assert "Поиск по вопросам и ответам" in russian and "Связаться с поддержкой" in russian
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    content = client.get("/").content.decode()
    assert '<html lang="en"' in content
    assert "Help and support" in content
    with translation.override("en"):
        for phrase in ("Поиск по вопросам и ответам", "Связаться с поддержкой", "Начать чат"):
            assert phrase not in content and gettext(phrase) in content
    client.post(reverse("set_language"), {"language": "ru", "next": "/"})
    assert client.get("/").content.decode().count("Поиск по вопросам и ответам") == 1


def test_accessibility_toggle_for_a_visitor_uses_a_cookie(client):
    response = client.post(reverse("portal:accessibility-toggle"), {"next": "/help/faq/"})
    assert response.status_code == 302 and response.url == "/help/faq/"
    assert response.cookies["a11y"].value.startswith("1:")
    content = client.get("/").content.decode()
    assert 'class="a11y a11y-font-large a11y-scheme-bw"' in content
    assert 'aria-pressed="true"' in content


def test_accessibility_toggle_refuses_foreign_next(client):
    response = client.post(reverse("portal:accessibility-toggle"), {"next": "https://evil.example"})
    assert response.url == "/"


def test_accessibility_settings_are_stored_on_the_profile(client, citizen):
    client.force_login(citizen)
    response = client.post(
        reverse("portal:accessibility"),
        {"enabled": "on", "font_size": "largest", "scheme": "wb"},
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.accessibility == AccessibilityPrefs(
        enabled=True, font_size="largest", scheme="wb", images=False
    )
    content = client.get("/").content.decode()
    assert "a11y-font-largest a11y-scheme-wb a11y-no-images" in content


def test_accessibility_settings_reject_unknown_values(client):
    response = client.post(reverse("portal:accessibility"), {"font_size": "huge", "scheme": "x"})
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()


@pytest.mark.parametrize("value", ["", "garbage", "1:huge:wb:1", "1:large:pink:1", "::::"])
def test_broken_accessibility_cookie_gives_the_normal_site(client, value):
    client.cookies["a11y"] = value
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="ru" class="">' in response.content.decode()


def test_not_found_page_offers_search(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert 'role="search"' in response.content.decode()


def test_api_docs_may_use_inline_styles_but_nothing_else_may(client):
    docs = client.get("/api/docs/")["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in docs and "script-src 'self';" in docs + ";"
    assert "unsafe-inline" not in client.get("/")["Content-Security-Policy"]


def test_favicon_redirects_to_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response.url.endswith("favicon.svg")
