"""Demo technical works: one planned for the coming night, one finished last week."""

import datetime

from django.db import transaction
from django.utils import timezone

from support.maintenance.actions import technical_works_changed
from support.maintenance.models import TechnicalWork

WORKS = [
    # title, title_en, days from today, start hour, hours long, description, started work
    (
        "Обновление личного кабинета",
        "Personal account update",
        1,
        1,
        4,
        "Обновляем личный кабинет и раздел «Мои заявки». Вход на портал, подача заявлений "
        "и оплата будут недоступны.",
        "Черновики заявлений сохранятся: продолжите с того же места, когда работы закончатся. "
        "Платежи, начатые до начала работ, пройдут; если деньги списаны, а статус не изменился, "
        "подождите час после окончания работ.",
    ),
    (
        "Замена оборудования платёжного шлюза",
        "Payment gateway hardware replacement",
        -6,
        2,
        3,
        "Оплата госпошлин и штрафов была недоступна.",
        "Начатые платежи не списывались; оплату нужно было повторить после окончания работ.",
    ),
]


@transaction.atomic
def seed_technical_works() -> int:
    today = timezone.localdate()
    moscow = timezone.get_default_timezone()
    for title, title_en, days, hour, length, description, started in WORKS:
        start = datetime.datetime.combine(
            today + datetime.timedelta(days=days), datetime.time(hour), tzinfo=moscow
        )
        TechnicalWork.objects.update_or_create(
            title=title,
            defaults={
                "title_en": title_en,
                "description": description,
                "starts_at": start,
                "ends_at": start + datetime.timedelta(hours=length),
                "started_work": started,
                "is_published": True,
            },
        )
    technical_works_changed()
    return len(WORKS)
