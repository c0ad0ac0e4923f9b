"""What a citizen's browser session holds for appeals, and what the citizens' views share.

A session is granted the appeals it registered or proved (number + e-mail) and remembers the
feedback-form tokens it was given (uploads ahead of the form need one).
"""

import uuid

from django.conf import settings

from portal.http import HtmxHttpRequest

ACCESS_SESSION_KEY = "appeals_access"
FORMS_SESSION_KEY = "appeals_forms"


def granted_numbers(request: HtmxHttpRequest) -> list[str]:
    return list(request.session.get(ACCESS_SESSION_KEY, []))


def grant(request: HtmxHttpRequest, number: str) -> None:
    numbers = [n for n in granted_numbers(request) if n != number]
    request.session[ACCESS_SESSION_KEY] = (numbers + [number])[-20:]


def form_issue(request: HtmxHttpRequest, token: uuid.UUID) -> None:
    """Remember a form token given to this visitor: uploads ahead of the form need one."""
    tokens = [t for t in request.session.get(FORMS_SESSION_KEY, []) if t != str(token)]
    request.session[FORMS_SESSION_KEY] = (tokens + [str(token)])[-10:]


def form_issued(request: HtmxHttpRequest, token: uuid.UUID) -> bool:
    return str(token) in request.session.get(FORMS_SESSION_KEY, [])


def too_large(request: HtmxHttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > settings.APPEALS_MAX_REQUEST_BYTES


def signed_in(request: HtmxHttpRequest):
    """The signed-in user, or None for a visitor."""
    return request.user if request.user.is_authenticated else None
