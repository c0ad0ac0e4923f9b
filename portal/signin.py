"""The account a sign-in attempt names, as the lockout (django-axes) counts it."""

from django.http import HttpRequest

# Django's login form and the admin send `username`; django-allauth's form sends `login`
# (a username or an e-mail) and passes `username` or `email` on to authenticate().
USERNAME_FIELDS = ("username", "email", "login")


def signin_username(request: HttpRequest | None, credentials: dict | None = None) -> str | None:
    """AXES_USERNAME_CALLABLE: the name or e-mail tried, case-folded.

    Case-folded because e-mail addresses sign in whatever their case: "Anna@…" and
    "anna@…" must count as one account, or changing the case would buy new attempts.
    """
    sources = [credentials or {}]
    if request is not None:
        sources.append(getattr(request, "data", None) or request.POST)
    for source in sources:
        for field in USERNAME_FIELDS:
            value = source.get(field)
            if isinstance(value, str) and value.strip():
                return value.strip().casefold()
    return None
