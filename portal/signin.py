"""Which account a sign-in names, for the password check and for the lockout (django-axes).

One rule for both: whatever was typed (a username, an e-mail, a phone in any writing) is
resolved to at most one account, whose password is then checked once. The lockout counts
that account, so a new writing of the same login buys no new attempts.
"""

from allauth.account.utils import filter_users_by_email
from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import HttpRequest

from portal.models import User
from portal.phones import phone_normalise

# Django's login form and the admin send `username`; django-allauth's form sends `login`
# (a username or an e-mail) and passes `username` and/or `email` on to authenticate().
USERNAME_FIELDS = ("username", "email", "login")


def signin_account(*, login: str) -> User | None:
    """The one account this login names: by e-mail, then username, then phone number."""
    login = login.strip()
    if not login:
        return None
    if "@" in login:
        users = filter_users_by_email(login, prefer_verified=True)
        if users:
            return users[0]
    by_name = list(User.objects.filter(username__iexact=login)[:2])
    if len(by_name) == 1:
        return by_name[0]
    phone = _phone_or_empty(login)
    return User.objects.filter(phone=phone).first() if phone else None


def signin_key(*, login: str) -> str:
    """What the lockout counts: the account's username, or the login's normalised form
    when it names nobody (the phone as +7XXXXXXXXXX, anything else case-folded), so that
    guesses at an unknown login are counted as one whichever way they are written."""
    account = signin_account(login=login)
    if account is not None:
        return account.get_username()
    return _phone_or_empty(login) or login.strip().casefold()


def _phone_or_empty(login: str) -> str:
    try:
        return phone_normalise(login)
    except ValidationError:
        return ""


def _typed_login(request: HttpRequest | None, credentials: dict | None) -> str | None:
    sources = [credentials or {}]
    if request is not None:
        sources.append(getattr(request, "data", None) or request.POST)
    for source in sources:
        for field in USERNAME_FIELDS:
            value = source.get(field)
            if isinstance(value, str) and value.strip():
                return value
    return None


def signin_username(request: HttpRequest | None, credentials: dict | None = None) -> str | None:
    """AXES_USERNAME_CALLABLE: the account the attempt names (see `signin_key`).

    axes asks several times per attempt (before the check, on failure, on success): the
    answer is kept on the request.
    """
    login = _typed_login(request, credentials)
    if login is None:
        return None
    memo = getattr(request, "_signin_keys", None) if request is not None else None
    if memo is None:
        memo = {}
        if request is not None:
            request._signin_keys = memo
    if login not in memo:
        memo[login] = signin_key(login=login)
    return memo[login]


class AccountAndAddressHandler(AxesDatabaseHandler):
    """AXES_HANDLER: axes' database handler, plus a bound on one address's failures.

    axes counts failures per account and address (AXES_LOCKOUT_PARAMETERS) against
    AXES_FAILURE_LIMIT. Here an address is also refused, for every account, once its
    failures over all accounts within the cool-off reach AXES_ADDRESS_FAILURE_LIMIT: five
    guesses at each of many accounts (password spraying) stop there. The bound is higher
    than the per-account one because many citizens may share one address (an office,
    a mobile operator's NAT). A successful sign-in resets only its own account's count
    (axes' reset follows the lockout parameters), so an attacker's own account cannot
    wipe the address's record.
    """

    def get_failures(self, request, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)
        attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        from_address = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
        if from_address >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures
