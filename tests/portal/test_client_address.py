"""The client's address behind a load balancer: one function for the rate limits and axes."""

import pytest
from django.test import RequestFactory

from portal.http import UNKNOWN_CLIENT, client_ip
from tests.portal.factories import PASSWORD

PROXY = "10.0.0.5"
LOOKUP = "/support/appeals/lookup/"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "fd00::/8"]


def address(remote: str, forwarded: str | None = None) -> str:
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **meta))


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert address("198.51.100.9", "203.0.113.1") == "198.51.100.9"


def test_from_an_untrusted_peer_the_header_is_ignored(behind_proxy):
    assert address("198.51.100.9", "203.0.113.1") == "198.51.100.9"


@pytest.mark.parametrize(
    ("forwarded", "client"),
    [
        ("203.0.113.1", "203.0.113.1"),
        # A client's own X-Forwarded-For is kept by the proxy on the left: never believed.
        ("1.2.3.4, 203.0.113.1", "203.0.113.1"),
        # Two trusted hops (the load balancer and a proxy behind it).
        ("203.0.113.1, 10.0.0.7", "203.0.113.1"),
        ("203.0.113.1,10.0.0.7 , 10.0.0.8", "203.0.113.1"),
        ("203.0.113.1:52311", "203.0.113.1"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("::ffff:203.0.113.1", "203.0.113.1"),
        # Only proxies in the chain: the farthest of them is all we know.
        ("10.0.0.7, 10.0.0.8", "10.0.0.7"),
        # A garbled hop next to the proxy cannot be anybody's key: the proxy's own.
        ("203.0.113.1, not-an-address", PROXY),
        ("", PROXY),
    ],
)
def test_behind_a_trusted_proxy_the_rightmost_untrusted_entry_is_the_client(
    behind_proxy, forwarded, client
):
    assert address(PROXY, forwarded) == client


def test_trusted_ipv6_proxy(behind_proxy):
    assert address("fd00::1", "2001:db8::7") == "2001:db8::7"


def test_trusted_proxy_without_the_header_is_the_client(behind_proxy):
    assert address(PROXY) == PROXY


def test_no_usable_peer_address_shares_one_bucket(behind_proxy):
    assert address("", "203.0.113.1") == UNKNOWN_CLIENT
    assert address("unix-socket", "203.0.113.1") == UNKNOWN_CLIENT


def test_the_rate_limits_and_axes_use_this_function(settings):
    from axes.helpers import get_client_ip_address

    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.1")
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert settings.RATELIMIT_IP_META_KEY == "portal.http.client_ip"
    assert get_client_ip_address(request) == "203.0.113.1"


# --- Through the site ----------------------------------------------------------------------


def lookup(client, forwarded: str, remote: str = PROXY):
    return client.post(
        LOOKUP,
        {"number": "99999999", "email": "e@example.org"},
        REMOTE_ADDR=remote,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.mark.django_db
def test_behind_a_trusted_proxy_two_clients_have_separate_limits(client, settings, behind_proxy):
    settings.APPEALS_LOOKUP_RATE = "3/m"
    assert [lookup(client, "203.0.113.1").status_code for _ in range(4)] == [400, 400, 400, 429]
    # Another citizen behind the same load balancer is not limited by the first one.
    assert lookup(client, "203.0.113.2").status_code == 400  # "not found", not 429


@pytest.mark.django_db
def test_an_untrusted_client_cannot_dodge_the_limit_with_the_header(client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    settings.APPEALS_LOOKUP_RATE = "3/m"
    statuses = [
        lookup(client, f"203.0.113.{n}", remote="198.51.100.9").status_code for n in range(4)
    ]
    assert statuses == [400, 400, 400, 429]


@pytest.mark.django_db
def test_lockout_keys_on_the_forwarded_client(client, citizen, behind_proxy):
    def sign_in(password: str, forwarded: str):
        return client.post(
            "/accounts/login/",
            {"login": citizen.username, "password": password},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    for _ in range(5):
        sign_in("wrong", "203.0.113.1")
    assert sign_in(PASSWORD, "203.0.113.1").status_code == 429
    # The citizen at home, behind the same load balancer, still signs in.
    assert sign_in(PASSWORD, "203.0.113.2").status_code == 302


@pytest.mark.django_db
def test_lockout_ignores_a_forged_header_from_an_untrusted_peer(client, citizen, behind_proxy):
    statuses = [
        client.post(
            "/accounts/login/",
            {"login": citizen.username, "password": "wrong" if n < 5 else PASSWORD},
            REMOTE_ADDR="198.51.100.9",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        ).status_code
        for n in range(6)
    ]
    assert statuses == [200, 200, 200, 200, 429, 429]


# --- allauth's own limits key on the same client ---------------------------------------------


@pytest.mark.django_db
def test_behind_the_balancer_allauths_sign_in_limit_is_per_client(
    client, citizen, other_citizen, behind_proxy
):
    # allauth allows 30 sign-in posts a minute per client: thirty clients fail once each.
    for n in range(30):
        response = client.post(
            "/accounts/login/",
            {"login": citizen.username, "password": "wrong"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
        assert response.status_code == 200
    # Another citizen behind the same balancer signs in.
    response = client.post(
        "/accounts/login/",
        {"login": other_citizen.username, "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.77",
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_behind_the_balancer_allauths_sign_up_limit_is_per_client(client, settings, behind_proxy):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": False, "signup": "3/m/ip"}

    def sign_up(forwarded: str) -> int:
        return client.post(
            "/accounts/signup/", {"email": "bad"}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded
        ).status_code

    assert [sign_up(f"198.51.100.{n}") for n in range(6)] == [200] * 6
    # One client still meets the limit, and cannot dodge it with a header of its own.
    assert [sign_up("203.0.113.5") for _ in range(4)] == [200, 200, 200, 429]
    assert sign_up("1.2.3.4, 203.0.113.5") == 429


@pytest.mark.django_db
def test_allauth_ignores_a_forged_header_from_an_untrusted_peer(client, settings, behind_proxy):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": False, "signup": "3/m/ip"}
    statuses = [
        client.post(
            "/accounts/signup/",
            {"email": "bad"},
            REMOTE_ADDR="198.51.100.9",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        ).status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]


def test_allauth_asks_the_portal_for_the_client_address(behind_proxy):
    from allauth.account.adapter import get_adapter

    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.1")
    assert get_adapter(request).get_client_ip(request) == "203.0.113.1"


# --- The API's throttles ----------------------------------------------------------------------


@pytest.fixture
def anon_rate(monkeypatch):
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})


@pytest.mark.django_db
def test_the_api_throttle_ignores_a_forged_header_from_an_untrusted_peer(
    client, anon_rate, behind_proxy
):
    def get(forwarded: str | None = None) -> int:
        extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
        return client.get("/api/v1/faq/articles/", REMOTE_ADDR="198.51.100.9", **extra).status_code

    assert [get() for _ in range(4)] == [200, 200, 200, 429]
    assert [get(f"203.0.113.{n}") for n in range(10)] == [429] * 10


@pytest.mark.django_db
def test_behind_the_balancer_the_api_throttle_is_per_client(client, anon_rate, behind_proxy):
    def get(forwarded: str) -> int:
        return client.get(
            "/api/v1/faq/articles/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded
        ).status_code

    assert [get("203.0.113.1") for _ in range(4)] == [200, 200, 200, 429]
    assert get("203.0.113.2") == 200


def test_every_api_throttle_keys_on_the_client_address(settings, behind_proxy):
    from django.utils.module_loading import import_string

    from portal.api_throttling import ScopedRateThrottle

    request = RequestFactory().get(
        "/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.1"
    )
    classes = [import_string(path) for path in settings.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]]
    for throttle in [cls() for cls in classes] + [ScopedRateThrottle()]:
        assert throttle.get_ident(request) == "203.0.113.1"
