"""The HTTP side of the ASGI application: Django's middleware chain run in one thread hop."""

import asyncio

import pytest
from channels.testing import HttpCommunicator

from portal.asgi import application
from portal.asgi_http import SyncChainASGIHandler

pytestmark = pytest.mark.django_db(transaction=True)


def get(path: str, method: str = "GET", body: bytes = b"", headers=()) -> dict:
    communicator = HttpCommunicator(
        application, method, path, body=body, headers=[(b"host", b"127.0.0.1"), *headers]
    )
    return asyncio.run(communicator.get_response(timeout=30))


def test_the_chain_is_loaded_in_sync_mode():
    handler = SyncChainASGIHandler()
    assert not asyncio.iscoroutinefunction(handler._middleware_chain)


def test_a_page_passes_through_every_middleware(settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    response = get("/support/feedback/")
    assert response["status"] == 200
    cookies = b" ".join(
        value for name, value in response["headers"] if name.lower() == b"set-cookie"
    )
    headers = {name.lower(): value for name, value in response["headers"]}
    assert b"csrftoken=" in cookies  # CSRF middleware
    assert b"sessionid=" in cookies  # sessions (the form's token is kept in the session)
    assert headers[b"x-frame-options"] == b"DENY"  # clickjacking middleware
    assert b"content-security-policy" in headers  # CSP middleware
    assert b"Accept-Language" in headers[b"vary"]  # locale middleware


def test_a_post_without_its_csrf_token_is_refused(settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    response = get(
        "/support/feedback/",
        method="POST",
        body=b"text=hello",
        headers=[(b"content-type", b"application/x-www-form-urlencoded")],
    )
    assert response["status"] == 403


def test_an_unknown_path_is_a_404_page(settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    assert get("/no-such-page/")["status"] == 404
