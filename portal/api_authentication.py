"""How the citizen API knows who is asking: the portal's session, and a 401 without one."""

from drf_spectacular.authentication import SessionScheme
from rest_framework import authentication
from rest_framework.request import Request

# Not a registered HTTP scheme: it names how to sign in (the portal's session cookie).
CHALLENGE = 'Session realm="api"'


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's session authentication that answers an anonymous request 401, not 403.

    DRF gives 401 only when the first authentication class offers a `WWW-Authenticate`
    challenge, and its session class offers none. A signed-in request without a CSRF token
    is still 403: the caller is known, the request is refused.
    """

    def authenticate_header(self, request: Request) -> str:
        return CHALLENGE


class PortalSessionScheme(SessionScheme):
    """The schema's `cookieAuth` security scheme for the class above."""

    target_class = SessionAuthentication
