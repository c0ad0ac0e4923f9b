"""Reading for the mail channel."""

import datetime

from allauth.account.models import EmailAddress
from django.db.models import QuerySet

from portal.models import User
from support.mail.models import NEEDS_STAFF, InboundLetter, State

# Letters that made something happen count towards the flood limits.
COUNTED = (State.APPEAL, State.REPLY)


def account_for_address(address: str) -> User | None:
    """The active account whose confirmed e-mail this is (allauth), or None."""
    confirmed = (
        EmailAddress.objects.filter(email__iexact=address, verified=True, user__is_active=True)
        .select_related("user")
        .first()
    )
    return confirmed.user if confirmed else None


def letters_counted_since(*, since: datetime.datetime, sender: str = "", domain: str = "") -> int:
    letters = InboundLetter.objects.filter(received_at__gte=since, state__in=COUNTED)
    if sender:
        letters = letters.filter(sender=sender)
    if domain:
        letters = letters.filter(sender_domain=domain)
    return letters.count()


def letters_needing_staff() -> QuerySet[InboundLetter]:
    return InboundLetter.objects.filter(state__in=NEEDS_STAFF).defer("raw")
