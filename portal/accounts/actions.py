"""Account writes beyond allauth's own flows: the profile and a repeated confirmation."""

from allauth.account.models import EmailAddress
from django.db import transaction
from django.http import HttpRequest

from portal.models import User


def profile_update(
    *, user: User, last_name: str, first_name: str, middle_name: str, phone: str, snils: str
) -> User:
    """Store the already checked profile (the e-mail changes only through confirmation)."""
    with transaction.atomic():
        user.last_name, user.first_name, user.middle_name = last_name, first_name, middle_name
        user.phone, user.snils = phone, snils
        user.full_clean(exclude=["password", "username", "email"])
        user.save(update_fields=["last_name", "first_name", "middle_name", "phone", "snils"])
    return user


def email_confirmation_resend(*, request: HttpRequest, email: str) -> bool:
    """Send the confirmation letter again to an address not yet confirmed.

    The page answers the same whether or not such an address exists, so it tells a
    stranger nothing; the return value is for tests and logs.
    """
    address = (
        EmailAddress.objects.filter(email__iexact=email.strip(), verified=False)
        .select_related("user")
        .first()
    )
    if address is None:
        return False
    address.send_confirmation(request, signup=False)
    return True
