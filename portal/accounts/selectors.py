"""Account reads."""

from portal.models import PhoneConfirmation, User


def phone_confirmation_pending(*, user: User) -> PhoneConfirmation | None:
    """The new phone number waiting for its SMS code, if any."""
    return PhoneConfirmation.objects.filter(user=user).first()
