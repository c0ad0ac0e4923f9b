"""СНИЛС, the insurance number every Russian citizen has: eleven digits, the last two a checksum."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SNILS_FORMAT = _("СНИЛС — 11 цифр, например 112-233-445 95.")
SNILS_CHECKSUM = _("В СНИЛС ошибка: контрольное число не сходится. Проверьте цифры по документу.")


def snils_checksum(digits: str) -> int:
    """The Pension Fund's rule: weights 9..1 over the first nine digits, modulo 101."""
    total = sum(int(d) * w for d, w in zip(digits[:9], range(9, 0, -1), strict=True))
    if total < 100:
        return total
    if total in (100, 101):
        return 0
    total %= 101
    return 0 if total == 100 else total


def snils_normalise(raw: str) -> str:
    """ "112-233-445 95" (or with any spaces and dashes) to "11223344595"; "" stays ""."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    digits = re.sub(r"[\s\-]", "", raw)
    # [0-9], not \d: other scripts' digits (full-width, Arabic-Indic) are not a СНИЛС.
    if not re.fullmatch(r"[0-9]{11}", digits):
        raise ValidationError(SNILS_FORMAT, code="snils_format")
    # Numbers up to 001-001-998 were issued before checksums existed.
    if int(digits[:9]) > 1001998 and snils_checksum(digits) != int(digits[9:]):
        raise ValidationError(SNILS_CHECKSUM, code="snils_checksum")
    return digits


def snils_display(digits: str) -> str:
    if len(digits) != 11:
        return digits
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:9]} {digits[9:]}"
