"""The contacts page: open now at the boundaries, exceptions, offices, the voice menu."""

import datetime
import zoneinfo

import pytest
from django.utils import translation

from portal.catalogue.models import Region
from portal.workcalendar.models import CalendarException
from support.contacts.models import (
    ChannelKind,
    ContactChannel,
    OpeningHours,
    RegionalOffice,
    SpecialHours,
    VoiceMenuItem,
    Weekday,
)
from support.contacts.selectors import contact_channels_status, quickest_open

pytestmark = pytest.mark.django_db
MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")


def msk(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=MOSCOW)


@pytest.fixture
def line():
    channel = ContactChannel.objects.create(
        kind=ChannelKind.PHONE, title="Линия", value="8 800 555-73-73", answer_minutes=7
    )
    for day in range(5):
        OpeningHours.objects.create(
            channel=channel, weekday=day, opens=datetime.time(8), closes=datetime.time(20)
        )
    OpeningHours.objects.create(
        channel=channel, weekday=Weekday.SATURDAY, opens=datetime.time(9), closes=datetime.time(17)
    )
    OpeningHours.objects.create(
        channel=channel, weekday=Weekday.HOLIDAY, opens=datetime.time(10), closes=datetime.time(14)
    )
    return channel


def status_at(moment: datetime.datetime, **kwargs):
    return contact_channels_status(now=moment, **kwargs)[0]


def test_open_at_19_59_closed_at_20_00(line):
    before = status_at(msk(2026, 11, 25, 19, 59))
    assert before.is_open and before.status_text == "Открыто · закроется в 20:00"
    at_eight = status_at(msk(2026, 11, 25, 20, 0))
    assert not at_eight.is_open and at_eight.status_text == "Откроется завтра в 08:00"


def test_saturday_evening_names_the_day_and_date(line):
    saturday = status_at(msk(2026, 11, 28, 17, 0))
    assert not saturday.is_open
    assert saturday.status_text == "Откроется в понедельник, 30 ноября, в 08:00"


def test_server_clock_in_utc_citizen_in_moscow(line):
    # 16:59 UTC is 19:59 in Moscow; 17:00 UTC is 20:00 there.
    assert status_at(datetime.datetime(2026, 11, 25, 16, 59, tzinfo=datetime.UTC)).is_open
    assert not status_at(datetime.datetime(2026, 11, 25, 17, 0, tzinfo=datetime.UTC)).is_open


def test_public_holiday_uses_the_holiday_hours(line):
    # 4 November 2026, a Wednesday, is the Day of National Unity.
    assert status_at(msk(2026, 11, 4, 13, 59)).is_open
    closed = status_at(msk(2026, 11, 4, 14, 0))
    assert not closed.is_open and closed.status_text == "Откроется завтра в 08:00"


def test_shortened_pre_holiday_day_closes_an_hour_early(line):
    CalendarException.objects.create(
        date=datetime.date(2026, 11, 3), is_working_day=True, is_shortened=True
    )
    assert status_at(msk(2026, 11, 3, 18, 59)).status_text == "Открыто · закроется в 19:00"
    after = status_at(msk(2026, 11, 3, 19, 0))
    assert not after.is_open and after.status_text == "Откроется завтра в 10:00"


def test_shortened_day_hours_of_the_channel_win_over_the_rule(line):
    CalendarException.objects.create(
        date=datetime.date(2026, 11, 3), is_working_day=True, is_shortened=True
    )
    OpeningHours.objects.create(
        channel=line, weekday=Weekday.SHORTENED, opens=datetime.time(9), closes=datetime.time(16)
    )
    assert status_at(msk(2026, 11, 3, 16, 0)).status_text == "Откроется завтра в 10:00"


def test_dated_exception_wins_over_the_week(line):
    SpecialHours.objects.create(
        channel=line,
        starts_on=datetime.date(2026, 11, 25),
        ends_on=datetime.date(2026, 11, 26),
        is_closed=True,
        note="Переезд",
    )
    closed = status_at(msk(2026, 11, 25, 12, 0))
    assert not closed.is_open and closed.status_text == "Откроется в пятницу, 27 ноября, в 08:00"


def test_always_open_line_says_so():
    ContactChannel.objects.create(kind=ChannelKind.PHONE, title="24/7", always_open=True)
    status = status_at(msk(2026, 1, 1, 3, 0))
    assert status.is_open and status.status_text == "Открыто · круглосуточно"


def test_special_days_of_the_month_are_listed(line):
    CalendarException.objects.create(
        date=datetime.date(2026, 11, 3), is_working_day=True, is_shortened=True
    )
    status = status_at(msk(2026, 11, 1, 12, 0), details=True)
    days = {day.day: (day.reason, day.hours) for day in status.special_days}
    assert days[datetime.date(2026, 11, 3)] == ("сокращённый предпраздничный день", "08:00–19:00")
    assert days[datetime.date(2026, 11, 4)] == ("праздничный день", "10:00–14:00")
    assert datetime.date(2026, 11, 5) not in days


def test_quickest_open_channel_is_the_fastest_that_answers_now(line):
    chat = ContactChannel.objects.create(kind=ChannelKind.CHAT, title="Чат", answer_minutes=3)
    OpeningHours.objects.create(
        channel=chat, weekday=2, opens=datetime.time(8), closes=datetime.time(12)
    )
    ContactChannel.objects.create(kind=ChannelKind.EMAIL, title="Почта", always_open=True)
    assert quickest_open(contact_channels_status(now=msk(2026, 11, 25, 11))).channel == chat
    assert quickest_open(contact_channels_status(now=msk(2026, 11, 25, 13))).channel == line
    # At night only the mail answers, and it has no typical wait: nothing is offered.
    assert quickest_open(contact_channels_status(now=msk(2026, 11, 25, 23))) is None


def test_hub_names_the_quickest_channel_and_links_cards(client, line, monkeypatch):
    ContactChannel.objects.create(kind=ChannelKind.FEEDBACK, title="Форма", always_open=True)
    monkeypatch.setattr("django.utils.timezone.now", lambda: msk(2026, 11, 25, 12))
    content = client.get("/").content.decode()
    assert "Быстрее всего сейчас: Линия — обычно отвечают за 7 мин." in content
    assert f'<a href="/support/contacts/#channel-{line.pk}">Линия</a>' in content
    assert '<a href="/support/feedback/">Форма</a>' in content
    monkeypatch.setattr("django.utils.timezone.now", lambda: msk(2026, 11, 25, 22))
    assert "Быстрее всего сейчас" not in client.get("/").content.decode()


@pytest.fixture
def office():
    return RegionalOffice.objects.create(
        region=Region.objects.get(code="16"),
        title="Представительство в Татарстане",
        address="г. Казань, ул. Баумана, д. 15",
        phones="8 843 222-33-44, 8 843 222-33-45",
        hours="Пн–Пт 09:00–18:00",
        latitude="55.789400",
        longitude="49.118800",
    )


def test_contacts_page_shows_channels_menu_and_moscow_time(
    client, line, django_assert_max_num_queries
):
    VoiceMenuItem.objects.create(channel=line, key="1", title="Справка по услугам")
    VoiceMenuItem.objects.create(channel=line, key="3", title="Статус заявления")
    # 14, + 3 for the call-back's next free time (dated exceptions, capacity, booked slots).
    with django_assert_max_num_queries(17):
        response = client.get("/support/contacts/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Время московское, сейчас" in content
    assert content.index("<kbd>1</kbd>") < content.index("<kbd>3</kbd>")
    assert "Справка по услугам" in content
    assert "Как сформулировать вопрос: четыре части" in content


def test_region_filter_works_without_javascript(client, office):
    RegionalOffice.objects.create(
        region=Region.objects.get(code="77"),
        title="Офис в Москве",
        address="г. Москва, ул. Тверская, д. 7",
        latitude="55.7575",
        longitude="37.6136",
    )
    everything = client.get("/support/contacts/").content.decode()
    assert "Офис в Москве" in everything and "Представительство в Татарстане" in everything
    tatarstan = client.get("/support/contacts/", {"region": "16"}).content.decode()
    assert "Представительство в Татарстане" in tatarstan and "Офис в Москве" not in tatarstan
    assert '<option value="16" selected>' in tatarstan
    assert "https://www.openstreetmap.org/?mlat=55.789400&amp;mlon=49.118800" in tatarstan
    assert 'href="tel:88432223345"' in tatarstan


def test_unknown_region_shows_every_office_not_an_error(client, office):
    response = client.get("/support/contacts/", {"region": "zz"})
    assert response.status_code == 200
    assert "Представительство в Татарстане" in response.content.decode()


def test_english_mode_uses_english_titles_and_says_content_is_russian(client, line):
    line.title_en = "Help line"
    line.save()
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        content = client.get("/support/contacts/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Help line" in content
    assert "Contacts and hours" in content
    assert "maintained in Russian" in content
