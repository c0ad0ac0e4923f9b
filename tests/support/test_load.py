"""«Когда проще дозвониться»: the numbers come from real timestamps, any registered source."""

import datetime
import zoneinfo

import pytest
from django.core.cache import cache

from support.contacts import load
from support.contacts.load import contact_load, load_source_register, quietest_windows
from tests.support.appeals.factories import appeal_make

pytestmark = pytest.mark.django_db
MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")
NOW = datetime.datetime(2026, 11, 25, 12, 0, tzinfo=MOSCOW)  # a Wednesday


def at(days_ago: int, hour: int, minute: int = 0) -> datetime.datetime:
    day = NOW.date() - datetime.timedelta(days=days_ago)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=MOSCOW)


@pytest.fixture
def known_appeals():
    # Monday 23 Nov 09:10 ×2, Tuesday 24 Nov 09:50, Tuesday 14:00, Sunday 22 Nov 23:59.
    for moment in (at(2, 9, 10), at(2, 9, 40), at(1, 9, 50), at(1, 14), at(3, 23, 59)):
        appeal_make(now=moment)
    appeal_make(now=NOW)  # today: not a whole day yet, not counted
    appeal_make(now=at(60, 9))  # older than eight weeks


def test_counts_by_moscow_hour_and_weekday(known_appeals):
    result = contact_load(now=NOW)
    assert result.total == 5
    assert result.by_hour[9] == 3 and result.by_hour[14] == 1 and result.by_hour[23] == 1
    assert result.by_weekday == [2, 2, 0, 0, 0, 0, 1]


def test_a_late_evening_in_moscow_is_counted_on_that_moscow_day():
    # 23:30 Moscow on Sunday is 20:30 UTC Sunday; 00:30 Monday in Moscow is 21:30 UTC Sunday.
    appeal_make(now=datetime.datetime(2026, 11, 22, 21, 30, tzinfo=datetime.UTC))
    result = contact_load(now=NOW)
    assert result.by_weekday[0] == 1 and result.by_hour[0] == 1


def test_result_is_cached_until_the_next_day(known_appeals, django_assert_num_queries):
    contact_load(now=NOW)
    with django_assert_num_queries(0):
        assert contact_load(now=NOW).total == 5


def test_another_source_adds_without_touching_the_chart_code(known_appeals):
    from support.appeals.models import Appeal

    load_source_register(
        key="test-double",
        label=lambda: "test",
        queryset=lambda: Appeal.objects.filter(subject="Звонок"),
        field="registered_at",
    )
    try:
        appeal_make(now=at(1, 14, 30), subject="Звонок")
        cache.clear()
        result = contact_load(now=NOW)
        # The appeals source counts it once, the second source once more.
        assert result.by_hour[14] == 3
        assert result.sources == ["appeals", "callbacks", "chats", "test-double"]
    finally:
        load._SOURCES.pop("test-double")


def test_chats_count_at_the_hour_they_started(known_appeals, citizen, other_citizen):
    from support.chat.models import Conversation
    from tests.support.chat.factories import chat_make

    for user, moment in ((citizen, at(1, 14, 10)), (other_citizen, at(60, 14))):
        conversation = chat_make(user=user)
        Conversation.objects.filter(pk=conversation.pk).update(created_at=moment)
    result = contact_load(now=NOW)
    # Tuesday 14:00 had one appeal; the chat that began at 14:10 adds one, the old one none.
    assert result.total == 6
    assert result.by_hour[14] == 2 and result.by_weekday[1] == 3
    assert "chats" in result.sources


def test_quietest_windows_in_words():
    by_hour = [0] * 24
    for hour, value in {
        8: 6,
        9: 9,
        10: 4,
        11: 4,
        12: 8,
        13: 9,
        14: 8,
        15: 7,
        16: 3,
        17: 3,
        18: 7,
        19: 6,
    }.items():
        by_hour[hour] = value
    windows = quietest_windows(by_hour=by_hour, opens=8, closes=20)
    assert windows == [(10, 12), (16, 18)]
    assert load.windows_text(windows) == "с 10:00 до 12:00 и с 16:00 до 18:00"


def test_page_shows_chart_table_and_advice(client, known_appeals, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    content = client.get("/support/contacts/").content.decode()
    assert "<svg" in content and 'aria-labelledby="chart-hours-caption"' in content
    # 3 appeals at 09 over 56 days: 0.05 a day, shown with a Russian comma.
    assert '<th scope="row">09:00–10:00</th><td>0,1</td>' in content
    assert '<th scope="row">Понедельник</th><td>0,2</td>' in content
    assert "Меньше всего обращений с" in content


def test_demo_history_gives_the_seed_advice(client):
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)
    content = client.get("/support/contacts/").content.decode()
    assert "Меньше всего обращений с 10:00 до 12:00 и с 16:00 до 18:00" in content
