"""The SMS code that confirms a phone number before it goes into a profile: its rules.

A number in a profile signs in and receives SMS, so it must be the citizen's own; and the
settings page must not tell one citizen that a number belongs to another. So every new
number gets a code, whoever has it, and only the person who can read that SMS learns what
happens next.
"""

import secrets
from datetime import datetime, timedelta

from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

CODE_DIGITS = 6
CODE_VALID_FOR = timedelta(minutes=10)
# Wrong codes before the code is void: 5 guesses at a million, then a new SMS is needed.
MAX_FAILURES = 5

CODE_WRONG = _("Код не подходит. Проверьте цифры в SMS и введите код ещё раз.")
CODE_EXPIRED = _("Срок действия кода истёк. Нажмите «Отправить код ещё раз».")
CODE_EXHAUSTED = _(
    "Код введён неверно слишком много раз. Нажмите «Отправить код ещё раз», чтобы получить новый."
)
CODE_FORMAT = _("Введите шестизначный код из SMS.")
NOTHING_TO_CONFIRM = _("Смена номера не начата или уже отменена. Укажите номер в профиле.")
# Told only to the person who typed the code, that is, who holds the number.
PHONE_IN_ANOTHER_ACCOUNT = _(
    "Этот номер указан в другой учётной записи портала. Если это ваша учётная запись, "
    "войдите в неё и удалите номер там. Если нет, напишите в поддержку: мы поможем."
)


def code_new() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def code_digest(*, user_id: int, phone: str, code: str) -> str:
    """Stored instead of the code (a keyed hash: a database dump gives no codes away)."""
    return salted_hmac("portal.accounts.phone-code", f"{user_id}:{phone}:{code}").hexdigest()


def code_matches(*, digest: str, user_id: int, phone: str, code: str) -> bool:
    return constant_time_compare(digest, code_digest(user_id=user_id, phone=phone, code=code))


def code_expired(*, sent_at: datetime, now: datetime) -> bool:
    return now - sent_at > CODE_VALID_FOR


def code_text(code: str) -> str:
    return gettext(
        "Код для подтверждения телефона на портале Госуслуги: %(code)s. Никому его не сообщайте."
    ) % {"code": code}
