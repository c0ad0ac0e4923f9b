"""Sign-in by username, e-mail (django-allauth) or phone number."""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest

from portal.signin import signin_account


class PhoneAwareAuthenticationBackend(AuthenticationBackend):
    """allauth's backend, plus: what was typed as the login may be a phone number.

    allauth's own phone login needs SMS codes for verification; here a phone is only
    another name for the account, checked with the password like the username is.

    The login is resolved to one account first (`portal.signin.signin_account`, the rule
    the lockout counts by) and its password checked once: allauth's own order tries an
    e-mail both as an e-mail and as a username, which hashed the password twice for an
    existing address and once (its timing mitigation) for an unknown one. Now a known and
    an unknown login cost the same single hash.
    """

    def _authenticate(self, request: HttpRequest | None, **credentials) -> AbstractBaseUser | None:
        login = credentials.get("email") or credentials.get("username") or ""
        account = signin_account(login=login) if isinstance(login, str) else None
        # Without an account nothing is checked; allauth's authenticate() then hashes the
        # password once on a throwaway user, as long as a real check takes.
        return self._check_password(account, credentials.get("password") or "")
