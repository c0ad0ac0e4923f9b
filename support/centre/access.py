"""The staff gate: what every operator page (appeals, chats, call-backs) requires."""

from django.contrib.auth.decorators import login_required, permission_required

from support.centre.people import WORK


def staff_only(view):
    """Signed in (else the sign-in page) and an operator (else 403)."""
    return login_required(permission_required(WORK, raise_exception=True)(view))
