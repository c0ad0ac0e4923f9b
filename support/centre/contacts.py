"""How a visitor without an account can be reached: the one rule the chat's hand-off, a
message left in the chat and a call-back ask.

A person's answer must reach whoever asked. A signed-in citizen has the account; a visitor
gives a name and an e-mail or a phone (a call-back: the phone), and consent to keep them
(152-FZ: a separate act, whose time is stored). The phone is stored as `portal.phones`
writes it (+7XXXXXXXXXX), so one number has one spelling everywhere.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portal.phones import PHONE_INVALID, phone_display, phone_normalise

MAX_NAME = 100
MAX_EMAIL = 254

NAME_REQUIRED = _("Напишите, как к вам обращаться.")
NAME_TOO_LONG = format_lazy(_("Имя не длиннее {max} знаков."), max=MAX_NAME)
CONTACT_REQUIRED = _("Укажите e-mail или телефон: туда придёт ответ.")
EMAIL_INVALID = _("Введите адрес электронной почты, например name@example.ru.")
PHONE_REQUIRED = _("Укажите номер телефона, на который позвонить.")
CONSENT_REQUIRED = _("Без согласия на обработку персональных данных мы не сможем ответить.")


@dataclass(frozen=True)
class Contacts:
    """A visitor's name and where an answer reaches them (either may be "", not both)."""

    name: str
    email: str = ""
    phone: str = ""  # +7XXXXXXXXXX

    @property
    def phone_display(self) -> str:
        return phone_display(self.phone)


def contacts_clean(
    *,
    name: str,
    email: str = "",
    phone: str = "",
    consent: bool,
    phone_required: bool = False,
) -> Contacts:
    """The visitor's contacts as stored, or a ValidationError naming each field that is wrong.

    A name, at least one of an e-mail and a phone (`phone_required`: the phone), and
    consent."""
    name, email, raw_phone = (name or "").strip(), (email or "").strip(), (phone or "").strip()
    errors: dict[str, list] = {}
    if not name:
        errors["name"] = [ValidationError(NAME_REQUIRED, code="name")]
    elif len(name) > MAX_NAME:
        errors["name"] = [ValidationError(NAME_TOO_LONG, code="name")]
    if email:
        try:
            if len(email) > MAX_EMAIL:
                raise ValidationError(EMAIL_INVALID)
            validate_email(email)
        except ValidationError:
            errors["email"] = [ValidationError(EMAIL_INVALID, code="email")]
    try:
        phone = phone_normalise(raw_phone)
    except ValidationError:
        errors["phone"] = [ValidationError(PHONE_INVALID, code="phone")]
        phone = ""
    if phone_required and not raw_phone:
        errors["phone"] = [ValidationError(PHONE_REQUIRED, code="required")]
    elif not email and not raw_phone:
        errors["email"] = [ValidationError(CONTACT_REQUIRED, code="contact")]
    if not consent:
        errors["consent"] = [ValidationError(CONSENT_REQUIRED, code="consent")]
    if errors:
        raise ValidationError(errors)
    return Contacts(name=name, email=email, phone=phone)
