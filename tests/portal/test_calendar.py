import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import ValidationError

from portal.roles import CONTENT_EDITORS
from portal.workcalendar import selectors as calendar
from portal.workcalendar.actions import calendar_exception_save, calendar_exceptions_delete
from portal.workcalendar.models import CalendarException

D = datetime.date
pytestmark = pytest.mark.django_db  # the calendar reads the exceptions table


def test_registered_on_last_working_day_before_new_year_holidays():
    # 30 Dec 2025 is the last working day; 31 Dec – 11 Jan are days off (decree + Jan 9).
    assert calendar.working_days_add(start=D(2025, 12, 30), days=5) == D(2026, 1, 16)
    assert calendar.working_days_add(start=D(2025, 12, 30), days=1) == D(2026, 1, 12)


def test_weekend_registration_counts_from_monday():
    # Saturday 14 Mar 2026: Monday the 16th is the first working day.
    assert calendar.working_days_add(start=D(2026, 3, 14), days=1) == D(2026, 3, 16)
    assert calendar.working_days_add(start=D(2026, 3, 13), days=5) == D(2026, 3, 20)


def test_transferred_day_off_is_skipped():
    # 9 Mar 2026 (Monday) is the observed day off for 8 Mar (a Sunday).
    assert calendar.working_days_add(start=D(2026, 3, 6), days=1) == D(2026, 3, 10)


def test_zero_days_is_the_start_day():
    assert calendar.working_days_add(start=D(2026, 3, 6), days=0) == D(2026, 3, 6)


def test_exception_turns_a_weekday_into_a_day_off():
    day = D(2026, 6, 3)
    assert calendar.is_working_day(day)
    calendar_exception_save(
        exception=CalendarException(date=day, is_working_day=False, note="Региональный")
    )
    assert not calendar.is_working_day(day)
    assert calendar.is_public_holiday(day)
    assert calendar.working_days_add(start=D(2026, 6, 2), days=1) == D(2026, 6, 4)


def test_exception_turns_a_saturday_into_a_working_day():
    saturday = D(2026, 6, 6)
    calendar_exception_save(exception=CalendarException(date=saturday, is_working_day=True))
    assert calendar.is_working_day(saturday)
    assert calendar.working_days_add(start=D(2026, 6, 5), days=1) == saturday


def test_shortened_day_stays_a_working_day():
    day = D(2026, 12, 30)
    calendar_exception_save(
        exception=CalendarException(date=day, is_working_day=True, is_shortened=True)
    )
    assert calendar.is_working_day(day)


def test_admin_change_drops_the_cached_calendar(admin_client):
    day = D(2026, 6, 3)
    assert calendar.is_working_day(day)  # now cached
    response = admin_client.post(
        "/admin/workcalendar/calendarexception/add/",
        {"date": "2026-06-03", "is_working_day": "", "is_shortened": "", "note": "Приказ"},
    )
    assert response.status_code == 302
    assert not calendar.is_working_day(day)


def test_deleting_an_exception_through_the_action_refreshes_the_cached_calendar():
    day = D(2026, 6, 3)
    exception = calendar_exception_save(exception=CalendarException(date=day, is_working_day=False))
    assert not calendar.is_working_day(day)  # now cached
    calendar_exceptions_delete(exceptions=[exception])
    assert calendar.is_working_day(day)


def test_the_cached_calendar_is_dropped_again_when_the_change_commits(
    django_capture_on_commit_callbacks,
):
    day = D(2026, 6, 3)
    with django_capture_on_commit_callbacks(execute=True):
        calendar_exception_save(exception=CalendarException(date=day, is_working_day=False))
        # A request running before the commit still saw the old table and cached it.
        cache.set(calendar.EXCEPTIONS_CACHE_KEY, {})
    assert not calendar.is_working_day(day)


def test_an_invalid_exception_is_refused_and_the_calendar_stays():
    day = D(2026, 6, 6)  # a Saturday
    with pytest.raises(ValidationError):
        calendar_exception_save(
            exception=CalendarException(date=day, is_working_day=False, is_shortened=True)
        )
    assert not CalendarException.objects.exists()
    assert not calendar.is_working_day(day)


def test_content_editors_may_edit_the_calendar():
    codenames = set(
        Group.objects.get(name=CONTENT_EDITORS).permissions.values_list("codename", flat=True)
    )
    assert "change_calendarexception" in codenames


def test_working_days_between():
    assert calendar.working_days_between(start=D(2025, 12, 30), end=D(2026, 1, 16)) == 5
    assert calendar.working_days_between(start=D(2026, 1, 16), end=D(2025, 12, 30)) == -5


def test_public_holidays_between_reads_the_calendar_once(django_assert_num_queries):
    calendar_exception_save(exception=CalendarException(date=D(2026, 6, 3), is_working_day=False))
    # Russia Day made a working day: an exception wins over the library.
    calendar_exception_save(exception=CalendarException(date=D(2026, 6, 12), is_working_day=True))
    with django_assert_num_queries(1):
        days = calendar.public_holidays_between(start=D(2026, 6, 1), end=D(2026, 6, 14))
    assert days == {D(2026, 6, 3)}
