import datetime
import zoneinfo

import pytest

from support.contacts.demo import seed_contacts
from support.contacts.models import ChannelKind, ContactChannel, OpeningHours, Weekday
from support.contacts.selectors import contact_channels_status
from tests.faq.factories import ArticleFactory

pytestmark = pytest.mark.django_db
MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")


@pytest.fixture
def line():
    channel = ContactChannel.objects.create(
        kind=ChannelKind.PHONE, title="Линия", value="8 800 555-73-73"
    )
    for day in range(5):
        OpeningHours.objects.create(
            channel=channel, weekday=day, opens=datetime.time(8), closes=datetime.time(20)
        )
    OpeningHours.objects.create(
        channel=channel, weekday=Weekday.HOLIDAY, opens=datetime.time(10), closes=datetime.time(14)
    )
    return channel


def status_at(moment: datetime.datetime):
    return contact_channels_status(now=moment)[0]


def test_open_during_hours_closed_after(line):
    assert status_at(datetime.datetime(2026, 11, 25, 12, 0, tzinfo=MOSCOW)).is_open
    evening = status_at(datetime.datetime(2026, 11, 25, 21, 0, tzinfo=MOSCOW))
    assert not evening.is_open
    assert evening.status_text == "Откроется завтра в 08:00"


def test_friday_evening_points_to_monday(line):
    friday = status_at(datetime.datetime(2026, 11, 27, 20, 30, tzinfo=MOSCOW))
    assert not friday.is_open
    assert "понедельник" in friday.status_text and "08:00" in friday.status_text


def test_public_holiday_uses_holiday_hours(line):
    # 4 November (Day of National Unity) 2026 is a Wednesday and a public holiday.
    morning = status_at(datetime.datetime(2026, 11, 4, 9, 0, tzinfo=MOSCOW))
    assert not morning.is_open and morning.status_text == "Откроется сегодня в 10:00"
    assert status_at(datetime.datetime(2026, 11, 4, 11, 0, tzinfo=MOSCOW)).is_open


def test_hours_are_stored_in_moscow_time_whatever_the_clock_says(line):
    utc_noon = datetime.datetime(2026, 11, 25, 16, 30, tzinfo=datetime.UTC)  # 19:30 in Moscow
    assert status_at(utc_noon).is_open


def test_schedule_folds_equal_days(line):
    schedule = status_at(datetime.datetime(2026, 11, 25, 12, tzinfo=MOSCOW)).schedule
    assert schedule[0] == ("Пн–Пт", "08:00–20:00")
    assert schedule[1] == ("Сб–Вс", "выходной")
    assert schedule[-1] == ("Праздники", "10:00–14:00")


def test_hub_shows_search_popular_questions_and_channels(client, django_assert_max_num_queries):
    seed_contacts()
    ArticleFactory(title="Как восстановить пароль")
    # + the channels' dated exceptions and the technical-works banner (cached after),
    # + the call-back's next free time (its dated exceptions, capacity, booked slots).
    with django_assert_max_num_queries(13):
        response = client.get("/")
    content = response.content.decode()
    assert response.status_code == 200
    assert 'role="combobox"' in content
    assert "Как восстановить пароль" in content
    assert "8 800 555-35-35" in content and "Открыто · круглосуточно" in content
    assert 'href="tel:88005553535"' in content


def test_contacts_come_from_data_editors_change(client):
    seed_contacts()
    ContactChannel.objects.filter(value="8 800 555-35-35").update(value="8 800 000-00-01")
    content = client.get("/").content.decode()
    assert "8 800 000-00-01" in content and "8 800 555-35-35" not in content


def test_hours_must_be_in_order(line):
    from django.core.exceptions import ValidationError

    hours = OpeningHours(
        channel=line, weekday=Weekday.SATURDAY, opens=datetime.time(18), closes=datetime.time(9)
    )
    with pytest.raises(ValidationError):
        hours.full_clean()


def test_seed_demo_is_idempotent(client):
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)
    counts = ContactChannel.objects.count(), OpeningHours.objects.count()
    call_command("seed_demo", verbosity=0)
    assert (ContactChannel.objects.count(), OpeningHours.objects.count()) == counts
    assert client.login(username="citizen", password="citizen-demo")
