"""Demo technical works: one planned for the coming night, one finished last week."""

import datetime

from django.db import transaction
from django.utils import timezone, translation

from portal.content_language import ORIGINAL_LANGUAGE
from support.maintenance.actions import technical_works_changed
from support.maintenance.models import TechnicalWork

WORKS = [
    # days from today, start hour, hours long, then the texts: {field: (Russian, English)}
    (
        1,
        1,
        4,
        {
            "title": ("Обновление личного кабинета", "Personal account update"),
            "description": (
                "Обновляем личный кабинет и раздел «Мои заявки». Вход на портал, подача "
                "заявлений и оплата будут недоступны.",
                "We are updating the personal account and the «My applications» section. "
                "Signing in, submitting applications and payments will be unavailable.",
            ),
            "unavailable": (
                "вход на портал, «Мои заявки», подача заявлений и оплата",
                "signing in, «My applications», submitting applications and payments",
            ),
            "started_work": (
                "Черновики заявлений сохранятся: продолжите с того же места, когда работы "
                "закончатся. Платежи, начатые до начала работ, пройдут; если деньги списаны, а "
                "статус не изменился, подождите час после окончания работ.",
                "Draft applications will be kept: carry on where you stopped once the works "
                "are over. Payments started before the works will go through; if the money has "
                "been taken but the status has not changed, wait an hour after the works end.",
            ),
        },
    ),
    (
        -6,
        2,
        3,
        {
            "title": (
                "Замена оборудования платёжного шлюза",
                "Payment gateway hardware replacement",
            ),
            "description": (
                "Оплата госпошлин и штрафов была недоступна.",
                "Paying state fees and fines was unavailable.",
            ),
            "unavailable": ("оплата госпошлин и штрафов", "paying state fees and fines"),
            "started_work": (
                "Начатые платежи не списывались; оплату нужно было повторить после окончания "
                "работ.",
                "Payments in progress were not charged; they had to be made again after the "
                "works ended.",
            ),
        },
    ),
]


@transaction.atomic
def seed_technical_works() -> int:
    # The Russian title finds the work, whatever language is active.
    with translation.override(ORIGINAL_LANGUAGE):
        return _seed_technical_works()


def _seed_technical_works() -> int:
    today = timezone.localdate()
    moscow = timezone.get_default_timezone()
    for days, hour, length, texts in WORKS:
        start = datetime.datetime.combine(
            today + datetime.timedelta(days=days), datetime.time(hour), tzinfo=moscow
        )
        russian, english = (
            {field: pair[0] for field, pair in texts.items()},
            {f"{field}_en": pair[1] for field, pair in texts.items()},
        )
        TechnicalWork.objects.update_or_create(
            title=russian.pop("title"),
            defaults={
                **russian,
                **english,
                "starts_at": start,
                "ends_at": start + datetime.timedelta(hours=length),
                "is_published": True,
            },
        )
    technical_works_changed()
    return len(WORKS)
