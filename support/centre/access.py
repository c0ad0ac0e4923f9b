"""The staff gate: what every operator page (appeals, chats, call-backs) and the operator's
socket require: an operator, as `support.centre.people.user_is_operator` says."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from support.centre.people import user_is_operator


def staff_only(view):
    """Signed in (else the sign-in page) and an operator (else 403)."""

    @wraps(view)
    def gated(request, *args, **kwargs):
        if not user_is_operator(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(gated)
