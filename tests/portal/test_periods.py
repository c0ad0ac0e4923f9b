"""A period's end after its start (`portal.periods.InOrder`): the form's error and the
database's refusal say the same rule, for instants and for whole days."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.channels import ChannelKind
from portal.periods import InOrder
from support.contacts.models import ContactChannel, OpeningHours, SpecialHours
from support.maintenance.models import TechnicalWork

HOURS = InOrder("opens", "closes", "Конец раньше начала.")
DAYS = InOrder("starts_on", "ends_on", "Конец раньше начала.", same_allowed=True)
NINE, TEN = datetime.time(9), datetime.time(10)
MONDAY, TUESDAY = datetime.date(2026, 1, 5), datetime.date(2026, 1, 6)


@pytest.mark.parametrize(
    ("opens", "closes", "broken"),
    [
        (NINE, TEN, False),
        (TEN, TEN, True),
        (TEN, NINE, True),
        (None, NINE, False),
        (TEN, None, False),
    ],
)
def test_instants_end_strictly_after_their_start(opens, closes, broken):
    assert HOURS.broken(OpeningHours(opens=opens, closes=closes)) is broken


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "broken"),
    [(MONDAY, TUESDAY, False), (MONDAY, MONDAY, False), (TUESDAY, MONDAY, True)],
)
def test_whole_days_may_end_on_the_day_they_start(starts_on, ends_on, broken):
    assert DAYS.broken(SpecialHours(starts_on=starts_on, ends_on=ends_on)) is broken


def test_the_error_stands_under_the_end_field():
    with pytest.raises(ValidationError) as refused:
        HOURS.check(OpeningHours(opens=TEN, closes=NINE))
    assert refused.value.message_dict == {"closes": ["Конец раньше начала."]}
    HOURS.check(OpeningHours(opens=NINE, closes=TEN))  # in order: nothing to say


@pytest.fixture
def channel(db):
    return ContactChannel.objects.create(kind=ChannelKind.PHONE, title="Линия")


def _refused_by_database(model, **fields) -> bool:
    """Saved past the model's validation, as a bulk load or a race would."""
    try:
        with transaction.atomic():
            model.objects.create(**fields)
    except IntegrityError:
        return True
    return False


def test_the_database_refuses_hours_that_close_when_they_open(channel):
    assert _refused_by_database(OpeningHours, channel=channel, weekday=0, opens=TEN, closes=TEN)
    assert _refused_by_database(OpeningHours, channel=channel, weekday=1, opens=TEN, closes=NINE)
    assert not _refused_by_database(
        OpeningHours, channel=channel, weekday=2, opens=NINE, closes=TEN
    )


def test_the_database_keeps_one_day_special_hours_and_refuses_reversed_dates(channel):
    one_day = {"channel": channel, "is_closed": True, "starts_on": MONDAY}
    assert not _refused_by_database(SpecialHours, **one_day, ends_on=MONDAY)
    assert _refused_by_database(SpecialHours, **{**one_day, "starts_on": TUESDAY}, ends_on=MONDAY)


@pytest.mark.django_db
def test_the_database_refuses_works_that_end_when_they_start():
    start = timezone.now()
    work = {"title": "Работы", "description": "—", "started_work": "—", "starts_at": start}
    assert _refused_by_database(TechnicalWork, **work, ends_at=start)
    assert not _refused_by_database(
        TechnicalWork, **work, ends_at=start + datetime.timedelta(hours=1)
    )
