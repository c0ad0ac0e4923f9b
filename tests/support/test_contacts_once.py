"""The contacts page at 320 px, in data: the holidays said once for every channel (a run of
alike days on one line), the chart's scale in whole contacts, never "0.5"."""

import datetime
import re
import zoneinfo

import pytest

from support.contacts.charts import bar_chart, scale_top
from support.contacts.models import ChannelKind, ContactChannel, OpeningHours, Weekday
from support.contacts.selectors import contact_channels_status, special_days_once

pytestmark = pytest.mark.django_db
MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")


def channel(title: str, *, holiday: tuple[int, int] | None = (10, 14)) -> ContactChannel:
    made = ContactChannel.objects.create(kind=ChannelKind.PHONE, title=title, value="8 800")
    for day in range(5):
        OpeningHours.objects.create(
            channel=made, weekday=day, opens=datetime.time(8), closes=datetime.time(20)
        )
    if holiday:
        OpeningHours.objects.create(
            channel=made,
            weekday=Weekday.HOLIDAY,
            opens=datetime.time(holiday[0]),
            closes=datetime.time(holiday[1]),
        )
    return made


def statuses():
    now = datetime.datetime(2026, 12, 20, 12, 0, tzinfo=MOSCOW)
    return contact_channels_status(now=now, details=True)


def test_a_holiday_kept_alike_by_every_channel_is_one_line_and_the_run_is_one():
    channel("Линия 1")
    channel("Линия 2")
    days = special_days_once(statuses())
    new_year = [d for d in days if d.first <= datetime.date(2027, 1, 1) <= d.last]
    assert len(new_year) == 1
    run = new_year[0]
    # 31 December 2026 (a transferred day off) to 8 January: one line for the run.
    assert (run.first, run.last) == (datetime.date(2026, 12, 31), datetime.date(2027, 1, 8))
    assert run.hours == "10:00–14:00" and run.channels == []
    assert run.label == "31 декабря – 8 января"
    # No date is said twice.
    covered = [
        d.first + datetime.timedelta(n) for d in days for n in range((d.last - d.first).days + 1)
    ]
    assert len(covered) == len(set(covered))


def test_a_day_the_channels_keep_differently_lists_each():
    channel("Линия 1")
    channel("Линия 2", holiday=(9, 13))
    days = special_days_once(statuses())
    new_year = next(d for d in days if d.first <= datetime.date(2027, 1, 1) <= d.last)
    assert new_year.hours == ""
    assert new_year.channels == [("Линия 1", "10:00–14:00"), ("Линия 2", "09:00–13:00")]


def test_the_contacts_page_says_each_holiday_once(client, settings):
    from django.utils import timezone

    from portal.workcalendar.models import CalendarException

    # A special day in the coming month whatever the date the test runs on.
    day = timezone.localdate() + datetime.timedelta(days=3)
    CalendarException.objects.create(date=day, is_working_day=False)
    channel("Линия 1")
    channel("Линия 2")
    channel("Линия 3")
    content = client.get("/support/contacts/").content.decode()
    section = content[
        content.index('id="special-days-title"') : content.index('id="contacts-toc-title"')
    ]
    for day in special_days_once(contact_channels_status(details=True)):
        assert section.count(day.label) == 1
    # The cards no longer repeat them.
    cards = content[: content.index('id="special-days-title"')]
    assert "Особые дни в ближайший месяц" not in cards
    assert cards.count('class="channel__more"') == 3  # each week folded under its card


@pytest.mark.parametrize(
    ("top", "expected"),
    [(0, 2), (0.3, 2), (1.0, 2), (1.2, 2), (2.1, 4), (9.5, 10), (11, 12), (16.4, 18), (130, 140)],
)
def test_the_scale_is_whole_and_even(top, expected):
    assert scale_top(top) == expected


@pytest.mark.parametrize("values", [[0.3, 0.5, 0.1], [0, 0, 0], [1.4, 0.7], [15.2, 3.3, 7.7]])
def test_the_charts_scale_is_never_a_fraction(values):
    chart = bar_chart(labels=[str(i) for i in range(len(values))], values=values)
    assert all(isinstance(value, int) for value in chart.scale)
    assert chart.scale[0] == 2 * chart.scale[1] and chart.scale[-1] == 0
    assert all(bar.height <= chart.height for bar in chart.bars)
    assert max(bar.value for bar in chart.bars) <= chart.scale[0]


def test_every_third_hour_is_labelled_in_html(client):
    chart = bar_chart(labels=[f"{h:02d}" for h in range(24)], values=[1.0] * 24, label_every=3)
    assert [bar.label for bar in chart.bars if bar.labelled] == [
        f"{h:02d}" for h in range(0, 24, 3)
    ]
    from django.template.loader import render_to_string

    html = render_to_string("support/bar_chart.html", {"chart": chart, "labelledby": "c"})
    assert "<text" not in html  # no letters inside the drawing: they would shrink with it
    assert re.findall(r"<li>(\d\d)</li>", html) == [f"{h:02d}" for h in range(0, 24, 3)]
    assert re.findall(r"<span>(\d+)</span>", html) == ["2", "1", "0"]
