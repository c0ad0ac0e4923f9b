"""Sign-in by username, e-mail (django-allauth) or phone number."""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from portal.models import User
from portal.phones import phone_normalise


class PhoneAwareAuthenticationBackend(AuthenticationBackend):
    """allauth's backend, plus: what was typed as the login may be a phone number.

    allauth's own phone login needs SMS codes for verification; here a phone is only
    another name for the account, checked with the password like the username is.
    """

    def _authenticate(self, request: HttpRequest | None, **credentials) -> AbstractBaseUser | None:
        user = super()._authenticate(request, **credentials)
        login = credentials.get("username") or ""
        if user is not None or not login:
            return user
        try:
            phone = phone_normalise(login)
        except ValidationError:
            return None
        if not phone:
            return None
        return self._check_password(
            User.objects.filter(phone=phone).first(), credentials.get("password") or ""
        )
