"""Call-backs as "Мои заявки" shows them."""

import datetime

import pytest

from support.cabinet.selectors import tracker_items_for
from support.callbacks.models import Status
from tests.support.callbacks.factories import callback_make, channel_make, moscow

pytestmark = pytest.mark.django_db

SLOT = moscow(2026, 12, 1, 11, 0)


def test_rows_say_status_expected_date_and_overdue(citizen, other_citizen):
    channel_make()
    waiting = callback_make(user=citizen, starts_at=SLOT)
    done = callback_make(
        user=citizen,
        starts_at=SLOT - datetime.timedelta(days=1),
        status=Status.DONE,
        number="11112222",
    )
    callback_make(user=other_citizen, starts_at=SLOT, number="99998888")
    rows = {row.number: row for row in tracker_items_for(user=citizen, now=SLOT)}
    assert set(rows) == {waiting.number, done.number}
    row = rows[waiting.number]
    assert row.kind == "callback" and row.kind_label == "Обратный звонок"
    assert row.title == "Звонок: Другой вопрос"
    assert row.status_label == "Ожидает звонка" and row.active is True
    assert row.expected_date == datetime.date(2026, 12, 1)
    assert row.overdue is False and row.url == f"/support/callback/{waiting.number}/"
    assert rows[done.number].active is False and rows[done.number].expected_date is None
    # Nobody called before the slot ended: the tracker says it is late.
    later = {
        r.number: r for r in tracker_items_for(user=citizen, now=SLOT + datetime.timedelta(hours=1))
    }
    assert later[waiting.number].overdue is True


def test_listed_in_my_applications(client, citizen):
    from support.cabinet import registry

    channel_make()
    callback_make(user=citizen, starts_at=SLOT)
    from support.callbacks.tracker import CallbackKind

    assert any(isinstance(kind, CallbackKind) for kind in registry.tracker_kinds())
    items = tracker_items_for(user=citizen)
    assert [item.kind for item in items] == ["callback"]
    assert isinstance(items[0], registry.TrackerItem)
    client.force_login(citizen)
    assert items[0].number in client.get("/my/applications/?kind=callback").content.decode()
