"""Every limit and shared rule of appeals, written once.

Forms and serializers take their shapes (lengths, counts) from here; the actions check the
rules themselves. Messages are constants so that tests and entry points import the same text.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portal.phones import PHONE_INVALID, phone_normalise  # noqa: F401 (the appeals' rule)
from support.centre.contacts import CONSENT_REQUIRED  # noqa: F401 (one text for every kind)

CONSENT_VERSION = "2026-01"
MAX_SUBJECT = 200
MAX_DESCRIPTION = 5000
MAX_TEXT = 5000
# A new topic's deadlines in working days (each topic's are editable in the admin).
DEADLINE_DAYS = 5
CLARIFICATION_DAYS = 10
INTERAGENCY_DAYS = 30
REVIEW_WINDOW_DAYS = 30  # calendar days after the answer: a review, else auto-closed
PENDING_TTL = datetime.timedelta(hours=24)

CABINET_NEEDS_ACCOUNT = _("Ответ в личном кабинете возможен только после входа на портал.")
PHONE_NEEDED_FOR_CALL = _("Укажите телефон, чтобы мы могли позвонить.")
# An appeal has an e-mail, unless it is answered by a call to the phone it gives (a visitor
# who left a chat message with a phone only); `email_required` is the rule.
EMAIL_REQUIRED = _("Укажите адрес электронной почты или выберите ответ звонком по телефону.")
TOPIC_UNKNOWN = _("Выберите тему из списка.")
TEXT_REQUIRED = _("Напишите текст.")
DESCRIPTION_TOO_LONG = format_lazy(
    _("Описание не длиннее {max} символов. Подробности можно приложить файлом."),
    max=MAX_DESCRIPTION,
)
DESCRIPTION_HINT = format_lazy(
    _("Опишите, что произошло: даты, номера заявлений или услуг. До {max} символов."),
    max=MAX_DESCRIPTION,
)
TEXT_TOO_LONG = format_lazy(_("Текст не длиннее {max} символов."), max=MAX_TEXT)
SUBJECT_TOO_LONG = format_lazy(_("Не длиннее {max} символов."), max=MAX_SUBJECT)
DEADLINE_USUAL = format_lazy(_("Обычный срок: {days} рабочих дней."), days=DEADLINE_DAYS)
DEADLINES_EXPLAINED = format_lazy(
    _(
        "Срок ответа истёк, а ответа нет. Стандартный срок — {days} рабочих дней, при "
        "уточнениях — до {clarification}, при запросе в другое ведомство — до {interagency}."
    ),
    days=DEADLINE_DAYS,
    clarification=CLARIFICATION_DAYS,
    interagency=INTERAGENCY_DAYS,
)
ANSWER_USUALLY = format_lazy(
    _(
        "Опишите вопрос — мы зарегистрируем обращение, сообщим его номер и срок ответа. "
        "Обычно отвечаем за {days} рабочих дней."
    ),
    days=DEADLINE_DAYS,
)
REVIEW_WINDOW_PASSED = format_lazy(
    _("Пересмотр можно запросить в течение {days} дней после ответа."), days=REVIEW_WINDOW_DAYS
)
NOT_ANSWERED_LONG_AGO = format_lazy(
    _("Ответ дан меньше {days} дней назад."), days=REVIEW_WINDOW_DAYS
)
CLOSED_WITHOUT_REVIEW = format_lazy(
    _("Закрыто автоматически: пересмотр не запрашивали {days} дней."), days=REVIEW_WINDOW_DAYS
)
IDEMPOTENCY_CONFLICT = _(
    "Форма устарела: обращение с ней уже отправлено. Проверьте данные и отправьте форму ещё раз."
)
FILES_LOST = _(
    "Приложенные файлы не дошли до нас: прервался сеанс на сайте. Приложите их ещё раз, "
    "остальное мы сохранили."
)
FILES_LOST_NAMED = _(
    "Не дошли приложенные файлы: {names}. Прервался сеанс на сайте — приложите их ещё раз, "
    "остальное мы сохранили."
)
SESSION_EXPIRED = _(
    "Сеанс на сайте истёк, поэтому обращение не отправлено. Всё, что вы написали, сохранено "
    "в форме: проверьте и отправьте ещё раз."
)
PENDING_QUOTA_EXCEEDED = _(
    "Слишком много загруженных файлов без отправленного обращения. "
    "Отправьте форму или удалите ненужные файлы."
)

PENDING_ADDRESS_QUOTA_EXCEEDED = _(
    "Сейчас с вашего адреса загружено слишком много файлов к неотправленным обращениям. "
    "Попробуйте позже или отправьте обращение без файлов."
)


def email_required(*, answer_channel: str) -> bool:
    """Whether an appeal answered this way needs an e-mail (all but a call do)."""
    return answer_channel != "phone"


def text_clean(value: str, *, required: bool = True) -> str:
    """What a person wrote in a step (an answer, a reason): stripped, present, not too long."""
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({"text": TEXT_REQUIRED})
    if len(value) > MAX_TEXT:
        raise ValidationError({"text": TEXT_TOO_LONG})
    return value


def files_lost(names: list[str]) -> str:
    """Why an appeal waits for files the citizen attached but this session does not hold."""
    if not names:
        return str(FILES_LOST)
    return str(FILES_LOST_NAMED).format(names=", ".join(f"«{name}»" for name in names))


def pending_quota_bytes() -> int:
    """How much one visitor may keep uploaded ahead of a form they have not sent yet."""
    return settings.APPEALS_PENDING_QUOTA_BYTES


def pending_address_quota_bytes() -> int:
    """How much may be kept that way from one client address, over all its visitors."""
    return settings.APPEALS_PENDING_ADDRESS_QUOTA_BYTES
