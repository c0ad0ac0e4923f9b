"""The API's throttles, keyed on the client address every other limit uses."""

from rest_framework import throttling

from portal.http import client_ip


class ClientAddressMixin:
    """DRF's own get_ident believes any X-Forwarded-For (with NUM_PROXIES unset), so a
    client could pick a new key for every request; `portal.http.client_ip` believes only
    TRUSTED_PROXIES."""

    def get_ident(self, request) -> str:
        return client_ip(request)


class AnonRateThrottle(ClientAddressMixin, throttling.AnonRateThrottle):
    """Anonymous requests per client address ("anon" rate)."""


class ScopedRateThrottle(ClientAddressMixin, throttling.ScopedRateThrottle):
    """A view's `throttle_scope`: per signed-in user, or per client address."""
