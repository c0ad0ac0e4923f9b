"""Account writes beyond allauth's own flows: the profile, its phone, a repeated confirmation."""

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from portal.accounts import phone_codes, tasks
from portal.models import PhoneConfirmation, User


def profile_update(
    *, user: User, last_name: str, first_name: str, middle_name: str, phone: str, snils: str
) -> PhoneConfirmation | None:
    """Store the already checked profile (the e-mail changes only through confirmation).

    A new phone number does not replace the old one yet: a code goes to it by SMS, and
    `phone_confirmation_confirm` puts it in once typed; that pending confirmation is
    returned. Removing the phone needs no code.
    """
    fields = ["last_name", "first_name", "middle_name", "snils"]
    with transaction.atomic():
        user.last_name, user.first_name, user.middle_name = last_name, first_name, middle_name
        user.snils = snils
        confirmation = None
        if phone != user.phone:
            if phone:
                confirmation = _code_send(user=user, phone=phone)
            else:
                user.phone = ""
                fields.append("phone")
                PhoneConfirmation.objects.filter(user=user).delete()
        user.full_clean(exclude=["password", "username", "email", "phone"])
        user.save(update_fields=fields)
    return confirmation


def _code_send(*, user: User, phone: str) -> PhoneConfirmation:
    """A fresh code for `phone` (any earlier one is void), sent after commit."""
    code = phone_codes.code_new()
    confirmation, _ = PhoneConfirmation.objects.update_or_create(
        user=user,
        defaults={
            "phone": phone,
            "code_digest": phone_codes.code_digest(user_id=user.pk, phone=phone, code=code),
            "sent_at": timezone.now(),
            "failures": 0,
        },
    )
    text = phone_codes.code_text(code)
    transaction.on_commit(lambda: tasks.phone_code_deliver.enqueue(phone=phone, text=text))
    return confirmation


def phone_confirmation_resend(*, user: User) -> PhoneConfirmation:
    """A new code for the number waiting for confirmation."""
    with transaction.atomic():
        confirmation = PhoneConfirmation.objects.select_for_update().filter(user=user).first()
        if confirmation is None:
            raise ValidationError({"code": phone_codes.NOTHING_TO_CONFIRM})
        return _code_send(user=user, phone=confirmation.phone)


def phone_confirmation_confirm(*, user: User, code: str) -> User:
    """Put the waiting number in the profile once its code is typed.

    Only here, to the person who has read the SMS, is it said that the number is already
    in another account; the number is not moved (that account's owner decides).
    """
    with transaction.atomic():
        confirmation = PhoneConfirmation.objects.select_for_update().filter(user=user).first()
        error = _code_error(confirmation, user=user, code=code)
        if error is None:
            phone = confirmation.phone
            confirmation.delete()
            if User.objects.filter(phone=phone).exclude(pk=user.pk).exists():
                error = phone_codes.PHONE_IN_ANOTHER_ACCOUNT
            else:
                try:
                    with transaction.atomic():  # another account may take it meanwhile
                        User.objects.filter(pk=user.pk).update(phone=phone)
                except IntegrityError:
                    error = phone_codes.PHONE_IN_ANOTHER_ACCOUNT
                else:
                    user.phone = phone
        elif error is phone_codes.CODE_WRONG:
            # Counted in this transaction, which commits: the refusal is raised after it.
            PhoneConfirmation.objects.filter(pk=confirmation.pk).update(failures=F("failures") + 1)
    if error is not None:
        raise ValidationError({"code": error})
    return user


def _code_error(confirmation: PhoneConfirmation | None, *, user: User, code: str):
    if confirmation is None:
        return phone_codes.NOTHING_TO_CONFIRM
    if confirmation.failures >= phone_codes.MAX_FAILURES:
        return phone_codes.CODE_EXHAUSTED
    if phone_codes.code_expired(sent_at=confirmation.sent_at, now=timezone.now()):
        return phone_codes.CODE_EXPIRED
    if not phone_codes.code_matches(
        digest=confirmation.code_digest, user_id=user.pk, phone=confirmation.phone, code=code
    ):
        return phone_codes.CODE_WRONG
    return None


def phone_confirmation_cancel(*, user: User) -> bool:
    """Keep the old number: the waiting one and its code are forgotten."""
    deleted, _ = PhoneConfirmation.objects.filter(user=user).delete()
    return bool(deleted)


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
