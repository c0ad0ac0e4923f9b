"""Demo channels and hours, written from the seed article.

The article gives two different "main" numbers and two sets of hours; both are
kept as separate channels so editors can see and correct them in one place.
"""

import datetime

from django.db import transaction

from support.contacts.models import ChannelKind, ContactChannel, OpeningHours, Weekday

WEEKDAYS = [Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY]


def _t(value: str) -> datetime.time:
    return datetime.time.fromisoformat(value)


CALL_CENTRE_HOURS = [
    *[(day, "08:00", "20:00") for day in WEEKDAYS],
    (Weekday.SATURDAY, "09:00", "17:00"),
    (Weekday.SUNDAY, "10:00", "16:00"),
    (Weekday.HOLIDAY, "10:00", "14:00"),
]
CHAT_HOURS = [(day, "08:00", "22:00") for day in range(7)] + [(Weekday.HOLIDAY, "10:00", "18:00")]

CHANNELS = [
    {
        "kind": ChannelKind.PHONE,
        "title": "Единый контакт-центр",
        "value": "8 800 555-35-35",
        "note": "Бесплатно по России. Голосовое меню: 1 — услуги, 2 — личный кабинет, "
        "3 — статус заявления.",
        "always_open": True,
        "is_free": True,
        "order": 10,
        "hours": [],
    },
    {
        "kind": ChannelKind.PHONE,
        "title": "Линия консультаций по услугам",
        "value": "8 800 555-73-73",
        "note": "Бесплатно по России. Операторы отвечают в часы работы.",
        "is_free": True,
        "order": 20,
        "hours": CALL_CENTRE_HOURS,
    },
    {
        "kind": ChannelKind.PHONE,
        "title": "Номер для звонков из регионов",
        "value": "8 495 777-00-00",
        "note": "Оплачивается по тарифу вашего оператора связи.",
        "order": 30,
        "hours": CALL_CENTRE_HOURS,
        "show_in_footer": False,
    },
    {
        "kind": ChannelKind.PHONE,
        "title": "Линия по нарушению прав граждан",
        "value": "8 800 100-10-00",
        "note": "Круглосуточно, включая праздники.",
        "always_open": True,
        "is_free": True,
        "order": 40,
        "hours": [],
        "show_in_footer": False,
    },
    {
        "kind": ChannelKind.CHAT,
        "title": "Онлайн-чат",
        "value": "",
        "note": "Сначала отвечает бот; оператор подключается в часы работы чата.",
        "order": 50,
        "hours": CHAT_HOURS,
    },
    {
        "kind": ChannelKind.EMAIL,
        "title": "Электронная почта",
        "value": "support@gosuslugi.ru",
        "note": "Письма принимаются круглосуточно, ответ — в срок рассмотрения обращения.",
        "always_open": True,
        "order": 60,
        "hours": [],
    },
    {
        "kind": ChannelKind.FEEDBACK,
        "title": "Форма обратной связи",
        "value": "",
        "note": "Можно приложить скриншоты и документы. Номер обращения и срок ответа — сразу.",
        "always_open": True,
        "order": 70,
        "hours": [],
    },
]


@transaction.atomic
def seed_contacts() -> None:
    for data in CHANNELS:
        data = dict(data)
        hours = data.pop("hours")
        channel, _ = ContactChannel.objects.update_or_create(
            kind=data["kind"], title=data["title"], defaults=data
        )
        channel.hours.all().delete()
        OpeningHours.objects.bulk_create(
            OpeningHours(channel=channel, weekday=day, opens=_t(opens), closes=_t(closes))
            for day, opens, closes in hours
        )
