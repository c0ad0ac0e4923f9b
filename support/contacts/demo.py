"""Demo channels and hours, written from the seed article.

The article gives two different "main" numbers and two sets of hours; both are
kept as separate channels so editors can see and correct them in one place.
"""

import datetime

from django.db import transaction
from django.utils import translation

from portal.catalogue.models import Region
from portal.catalogue.regions import REGIONS, regions_sync
from portal.content_language import ORIGINAL_LANGUAGE
from support.contacts import models as contacts
from support.contacts.actions import contact_channels_changed
from support.contacts.models import ChannelKind, Weekday

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
        "title_en": "Single contact centre",
        "answer_minutes": 10,
        "value": "8 800 555-35-35",
        "note": "Бесплатно по России. Сначала голосовое меню, затем оператор.",
        "note_en": "Free across Russia. The voice menu first, then an operator.",
        "always_open": True,
        "is_free": True,
        "order": 10,
        "hours": [],
    },
    {
        "kind": ChannelKind.PHONE,
        "title": "Линия консультаций по услугам",
        "title_en": "Services help line",
        "answer_minutes": 7,
        "value": "8 800 555-73-73",
        "note": "Бесплатно по России. Операторы отвечают в часы работы.",
        "note_en": "Free across Russia. Operators answer during opening hours.",
        "is_free": True,
        "order": 20,
        "hours": CALL_CENTRE_HOURS,
    },
    {
        "kind": ChannelKind.PHONE,
        "title": "Номер для звонков из регионов",
        "title_en": "Number for calls from the regions",
        "answer_minutes": 7,
        "value": "8 495 777-00-00",
        "note": "Оплачивается по тарифу вашего оператора связи.",
        "note_en": "Charged at your mobile operator's rate.",
        "order": 30,
        "hours": CALL_CENTRE_HOURS,
        "show_in_footer": False,
    },
    {
        "kind": ChannelKind.PHONE,
        "title": "Линия по нарушению прав граждан",
        "title_en": "Citizens' rights line (24/7)",
        "answer_minutes": 10,
        "value": "8 800 100-10-00",
        "note": "Круглосуточно, включая праздники.",
        "note_en": "Round the clock, holidays included.",
        "always_open": True,
        "is_free": True,
        "order": 40,
        "hours": [],
        "show_in_footer": False,
    },
    {
        "kind": ChannelKind.CHAT,
        "title": "Онлайн-чат",
        "title_en": "Online chat",
        "answer_minutes": 3,
        "value": "",
        "note": "Сначала отвечает бот; оператор подключается в часы работы чата.",
        "note_en": "The bot answers first; an operator joins during the chat's opening hours.",
        "order": 50,
        "hours": CHAT_HOURS,
    },
    {
        "kind": ChannelKind.MESSENGER,
        "title": "Telegram",
        "title_en": "Telegram",
        "answer_minutes": 15,
        "value": "https://t.me/gosuslugi",
        "note": "Бот отвечает сразу, оператор — в часы работы чата.",
        "note_en": "The bot answers at once, an operator during the chat's opening hours.",
        "order": 55,
        "hours": CHAT_HOURS,
        "show_in_footer": False,
    },
    {
        "kind": ChannelKind.CALLBACK,
        "title": "Обратный звонок",
        "title_en": "Call-back",
        "value": "",
        "note": "Оператор перезвонит в выбранное вами время. Нужно войти на портал.",
        "note_en": "An operator calls you back at the time you choose. You need to sign in.",
        "is_free": True,
        "order": 52,
        "hours": [
            *[(day, "09:00", "20:00") for day in WEEKDAYS],
            (Weekday.SATURDAY, "10:00", "16:00"),
        ],
        "show_in_footer": False,
    },
    {
        "kind": ChannelKind.EMAIL,
        "title": "Электронная почта",
        "title_en": "E-mail",
        "answer_minutes": 1440,
        "value": "support@gosuslugi.ru",
        "note": "Письма принимаются круглосуточно, ответ — в срок рассмотрения обращения.",
        "note_en": "Letters are accepted round the clock; the answer comes within the appeal's "
        "processing time.",
        "always_open": True,
        "order": 60,
        "hours": [],
    },
    {
        "kind": ChannelKind.FEEDBACK,
        "title": "Форма обратной связи",
        "title_en": "Feedback form",
        "answer_minutes": 1440,
        "value": "",
        "note": "Можно приложить скриншоты и документы. Номер обращения и срок ответа — сразу.",
        "note_en": "You can attach screenshots and documents. The appeal's number and the answer "
        "date at once.",
        "always_open": True,
        "order": 70,
        "hours": [],
    },
]


VOICE_MENU = [
    ("1", "Справка по услугам", "Information on services"),
    ("2", "Помощь по личному кабинету", "Help with the personal account"),
    ("3", "Вопросы о статусе заявления", "The status of an application"),
]
VOICE_MENU_LINES = ["8 800 555-35-35", "8 800 555-73-73"]

# Dated exceptions: New Year's Eve is not a public holiday but the chat closes early.
SPECIAL_HOURS = [
    # channel value or title, month, day, opens, closes, note, note in English
    ("Онлайн-чат", 12, 31, "10:00", "16:00", "Новогодний режим", "New Year's Eve hours"),
]

# region code, title, title_en, address, phones, hours, hours_en, latitude, longitude
OFFICES = [
    (
        "77",
        "Центр обслуживания граждан — Москва",
        "Citizens' service centre — Moscow",
        "г. Москва, ул. Тверская, д. 7",
        "8 495 777-00-00, 8 495 777-00-01",
        "Пн–Пт 09:00–20:00, Сб 10:00–17:00",
        "Mon–Fri 09:00–20:00, Sat 10:00–17:00",
        "55.757500",
        "37.613600",
    ),
    (
        "78",
        "Центр обслуживания граждан — Санкт-Петербург",
        "Citizens' service centre — Saint Petersburg",
        "г. Санкт-Петербург, Невский пр., д. 28",
        "8 812 555-10-10",
        "Пн–Пт 09:00–19:00",
        "Mon–Fri 09:00–19:00",
        "59.935700",
        "30.325900",
    ),
    (
        "16",
        "Представительство в Республике Татарстан",
        "Office in the Republic of Tatarstan",
        "г. Казань, ул. Баумана, д. 15",
        "8 843 222-33-44",
        "Пн–Пт 09:00–18:00",
        "Mon–Fri 09:00–18:00",
        "55.789400",
        "49.118800",
    ),
    (
        "54",
        "Представительство в Новосибирской области",
        "Office in the Novosibirsk region",
        "г. Новосибирск, Красный пр., д. 18",
        "8 383 210-20-30",
        "Пн–Пт 09:00–18:00 (время местное)",
        "Mon–Fri 09:00–18:00 (local time)",
        "55.030200",
        "82.920400",
    ),
    (
        "66",
        "Представительство в Свердловской области",
        "Office in the Sverdlovsk region",
        "г. Екатеринбург, пр. Ленина, д. 24",
        "8 343 350-60-70",
        "Пн–Пт 09:00–18:00 (время местное)",
        "Mon–Fri 09:00–18:00 (local time)",
        "56.838000",
        "60.603700",
    ),
]

MANAGEMENT = [
    (
        "Начальник отдела по работе с обращениями граждан",
        "Head of the citizens' appeals department",
        "Светлана Петровна Иванова",
        "8 495 777-00-10",
        "rukovoditel@example.org",
        "Приём по записи: вторник, 14:00–17:00",
        "By appointment: Tuesday, 14:00–17:00",
    ),
    (
        "Руководитель службы контроля качества",
        "Head of the quality control service",
        "Андрей Николаевич Соколов",
        "8 495 777-00-20",
        "kachestvo@example.org",
        "Пн–Пт 10:00–17:00",
        "Mon–Fri 10:00–17:00",
    ),
]


def _seed_extras(channels: dict[str, contacts.ContactChannel]) -> None:
    for value in VOICE_MENU_LINES:
        channel = channels[value]
        channel.voice_menu.all().delete()
        contacts.VoiceMenuItem.objects.bulk_create(
            contacts.VoiceMenuItem(channel=channel, key=key, title=title, title_en=title_en)
            for key, title, title_en in VOICE_MENU
        )
    today = datetime.date.today()
    for title, month, day, opens, closes, note, note_en in SPECIAL_HOURS:
        channel = channels[title]
        channel.special_hours.all().delete()
        date = datetime.date(today.year, month, day)
        contacts.SpecialHours.objects.create(
            channel=channel,
            starts_on=date,
            ends_on=date,
            opens=_t(opens),
            closes=_t(closes),
            note=note,
            note_en=note_en,
        )
    # The contacts are seeded before the catalogue: make sure the regions exist.
    if Region.objects.count() < len(REGIONS):
        regions_sync(Region)
    regions = {region.code: region for region in Region.objects.all()}
    for code, title, title_en, address, phones, hours, hours_en, lat, lon in OFFICES:
        if code not in regions:
            continue
        contacts.RegionalOffice.objects.update_or_create(
            title=title,
            defaults={
                "region": regions[code],
                "title_en": title_en,
                "address": address,
                "phones": phones,
                "hours": hours,
                "hours_en": hours_en,
                "latitude": lat,
                "longitude": lon,
                "is_active": True,
            },
        )
    for order, (position, position_en, name, phone, email, hours, hours_en) in enumerate(
        MANAGEMENT
    ):
        contacts.ManagementContact.objects.update_or_create(
            position=position,
            defaults={
                "position_en": position_en,
                "name": name,
                "phone": phone,
                "email": email,
                "hours": hours,
                "hours_en": hours_en,
                "order": order * 10,
                "is_active": True,
            },
        )


@transaction.atomic
def seed_contacts() -> None:
    # The texts above are the Russian originals, whatever language is active.
    with translation.override(ORIGINAL_LANGUAGE):
        _seed_contacts()


def _seed_contacts() -> None:
    seeded: dict[str, contacts.ContactChannel] = {}
    for data in CHANNELS:
        data = dict(data)
        hours = data.pop("hours")
        channel, _ = contacts.ContactChannel.objects.update_or_create(
            kind=data["kind"], title=data["title"], defaults=data
        )
        channel.hours.all().delete()
        contacts.OpeningHours.objects.bulk_create(
            contacts.OpeningHours(channel=channel, weekday=day, opens=_t(opens), closes=_t(closes))
            for day, opens, closes in hours
        )
        seeded[channel.value or channel.title] = channel
        seeded[channel.title] = channel
    _seed_extras(seeded)
    contact_channels_changed()
