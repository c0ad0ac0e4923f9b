"""Every limit and shared rule of appeals, written once.

Forms and serializers take their shapes (lengths, counts) from here; the actions check the
rules themselves. Messages are constants so that tests and entry points import the same text.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.phones import PHONE_INVALID, phone_normalise  # noqa: F401 (the appeals' rule)

CONSENT_VERSION = "2026-01"
MAX_SUBJECT = 200
MAX_DESCRIPTION = 5000
MAX_TEXT = 5000
REVIEW_WINDOW_DAYS = 30  # calendar days after the answer: a review, else auto-closed
PENDING_TTL = datetime.timedelta(hours=24)

CONSENT_REQUIRED = _("Без согласия на обработку персональных данных мы не сможем ответить.")
CABINET_NEEDS_ACCOUNT = _("Ответ в личном кабинете возможен только после входа на портал.")
PHONE_NEEDED_FOR_CALL = _("Укажите телефон, чтобы мы могли позвонить.")
TOPIC_UNKNOWN = _("Выберите тему из списка.")
TEXT_REQUIRED = _("Напишите текст.")
DESCRIPTION_TOO_LONG = _("Описание не длиннее 5000 символов. Подробности можно приложить файлом.")
TEXT_TOO_LONG = _("Текст не длиннее 5000 символов.")
SUBJECT_TOO_LONG = _("Не длиннее 200 символов.")
IDEMPOTENCY_CONFLICT = _(
    "Форма устарела: обращение с ней уже отправлено. Проверьте данные и отправьте форму ещё раз."
)
PENDING_QUOTA_EXCEEDED = _(
    "Слишком много загруженных файлов без отправленного обращения. "
    "Отправьте форму или удалите ненужные файлы."
)

PENDING_ADDRESS_QUOTA_EXCEEDED = _(
    "Сейчас с вашего адреса загружено слишком много файлов к неотправленным обращениям. "
    "Попробуйте позже или отправьте обращение без файлов."
)


def text_clean(value: str, *, required: bool = True) -> str:
    """What a person wrote in a step (an answer, a reason): stripped, present, not too long."""
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({"text": TEXT_REQUIRED})
    if len(value) > MAX_TEXT:
        raise ValidationError({"text": TEXT_TOO_LONG})
    return value


def pending_quota_bytes() -> int:
    """How much one visitor may keep uploaded ahead of a form they have not sent yet."""
    return settings.APPEALS_PENDING_QUOTA_BYTES


def pending_address_quota_bytes() -> int:
    """How much may be kept that way from one client address, over all its visitors."""
    return settings.APPEALS_PENDING_ADDRESS_QUOTA_BYTES
