"""Russian phone numbers, written once for the portal and every package above it."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PHONE_INVALID = _(
    "Введите российский номер телефона, например +7 916 123-45-67 или 8 (495) 123-45-67."
)


def phone_normalise(raw: str) -> str:
    """Any usual Russian writing ("8 (916) 123-45-67", "+7916…", "916…") to +7XXXXXXXXXX."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, "RU")
    except phonenumbers.NumberParseException:
        raise ValidationError(PHONE_INVALID, code="phone") from None
    if number.country_code != 7 or not phonenumbers.is_valid_number(number):
        raise ValidationError(PHONE_INVALID, code="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_display(phone: str) -> str:
    """+79161234567 as people read it: "+7 916 123-45-67"."""
    if not phone:
        return ""
    try:
        number = phonenumbers.parse(phone, "RU")
    except phonenumbers.NumberParseException:
        return phone
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
