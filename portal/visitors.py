"""Who a visitor is, as a key that can be stored without storing the session key."""

import hashlib

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from portal.models import User


def visitor_key(*, user: User | AnonymousUser | None, session_key: str) -> str:
    """ "u<user id>" when signed in, else "s" + 40 hex digits of the session key's SHA-256.

    Stored keys depend on this exact format (FAQ votes, pending uploads): never change it.
    """
    if user is not None and user.is_authenticated:
        return f"u{user.pk}"
    return "s" + hashlib.sha256(session_key.encode()).hexdigest()[:40]


def request_visitor(request: HttpRequest, *, start_session: bool = True) -> str:
    """This request's visitor key. A visitor without a session gets one first, so the key
    stays theirs on the next request; with `start_session=False` they get "" instead."""
    if not request.user.is_authenticated and not request.session.session_key:
        if not start_session:
            return ""
        request.session.save()
    return visitor_key(user=request.user, session_key=request.session.session_key or "")
