"""Middleware of the portal's own."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

# Pages that show an account's data to whoever holds the link from a letter, signed in
# or not: the address being confirmed, the account whose password is being reset.
LINK_PAGES = frozenset({"account_confirm_email", "account_reset_password_from_key"})


class PrivatePagesMiddleware:
    """`Cache-Control: private, no-store` on whatever a signed-in person is sent.

    Every page a signed-in person sees carries personal data, if only their name in the
    header, so no browser history, back-forward cache or shared proxy may keep it. One
    rule here rather than a decorator on each view: an allauth page or a new view cannot
    be forgotten.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        if (match is not None and match.url_name in LINK_PAGES) or (
            user is not None and user.is_authenticated
        ):
            add_never_cache_headers(response)  # max-age=0, no-cache, no-store, private
        return response
