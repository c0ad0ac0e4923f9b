"""Small text filters for the pages."""

import re

from django import template

from portal.phones import phone_display

register = template.Library()

NBSP = "\u00a0"
# A space inside a number ("15 000") or between a number and its unit ("15 000 ₽", "10 МБ").
_NUMBER_SPACE = re.compile(r"(?<=\d) (?=\d|₽|руб|%|МБ|ч\b|мин)")


@register.filter(is_safe=False)
def keep_numbers_whole(value: str) -> str:
    """ "15 000 ₽" never breaks across lines ("15 / 000 ₽" on a phone)."""
    return _NUMBER_SPACE.sub(NBSP, str(value))


@register.filter(is_safe=False)
def phone(value: str) -> str:
    """+79161234567 as people read it: "+7 916 123-45-67" (`portal.phones.phone_display`)."""
    return phone_display(str(value or ""))
