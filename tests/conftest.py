"""Fixtures every test shares."""

import pytest
from asgiref.sync import SyncToAsync
from django.core.cache import cache
from django.db import connections
from django.test import Client, RequestFactory
from django.utils import translation

from tests.portal.factories import UserFactory


def pytest_configure(config):
    # The one setting tests change for speed: PBKDF2 costs ~0.7 s a password here.
    # Set before any daphne is forked for the browser tests, so it serves the same.
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The forked daphne does not share the tests' local-memory cache: a banner cached
    # there would outlive the works a test created or deleted.
    settings.MAINTENANCE_BANNER_CACHE_SECONDS = 0
    settings.CONTACTS_CACHE_SECONDS = 0


@pytest.fixture(scope="session", autouse=True)
def close_socket_thread_connections(django_db_setup):
    """Consumers under test reach the database from asgiref's one worker thread, whose
    connection stays open (CONN_MAX_AGE): close it before the test database is dropped,
    which PostgreSQL refuses while a session uses it."""
    yield
    SyncToAsync.single_thread_executor.submit(connections.close_all).result()


class AxesAwareClient(Client):
    """Django's test client, whose login() also works with django-axes in front.

    Client.login() calls authenticate() without a request, and axes refuses any
    authentication it cannot attribute to an address. The request given here comes from
    the test client's own address (127.0.0.1), so failures count as the client's posts do.
    """

    def login(self, **credentials) -> bool:
        credentials.setdefault("request", RequestFactory().post("/accounts/login/"))
        return super().login(**credentials)


@pytest.fixture
def client() -> Client:
    return AxesAwareClient()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a fresh folder per test, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def source_language():
    """LocaleMiddleware leaves the last request's language active in the thread: after a
    test that asked for English, selectors called directly would answer in English."""
    yield
    translation.activate("ru")


@pytest.fixture
def production_caches(settings):
    """The caches on every page that tests turn off (see pytest_configure), on as in
    production: the footer's channels and their hours, the technical-works banner."""
    settings.CONTACTS_CACHE_SECONDS = 300
    settings.MAINTENANCE_BANNER_CACHE_SECONDS = 60


@pytest.fixture
def sms_outbox(settings):
    """SMS kept in memory (portal.notifications.sms.LocmemBackend), empty at the start."""
    from portal.notifications import sms

    settings.SMS_BACKEND = "portal.notifications.sms.LocmemBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture(autouse=True)
def fresh_cache():
    """Cached synonyms, rate-limit counters and the like never leak between tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def citizen(db):
    return UserFactory(username="citizen-test")


@pytest.fixture
def other_citizen(db):
    return UserFactory(username="other-citizen")


@pytest.fixture
def editor(db):
    from django.contrib.auth.models import Group

    from portal.roles import CONTENT_EDITORS

    user = UserFactory(username="editor-test", is_staff=True)
    user.groups.add(Group.objects.get(name=CONTENT_EDITORS))
    return user
