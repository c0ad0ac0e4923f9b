"""Two citizens take the last place in a slot at the same moment: exactly one gets it.

Real threads with their own database connections, on whichever database the suite runs
(SQLite by default, PostgreSQL with DATABASE_URL)."""

import pytest

from support.callbacks import actions
from support.callbacks.models import Callback, CallbackSlot
from tests.concurrency import at_once
from tests.portal.factories import UserFactory
from tests.support.callbacks.factories import channel_make, moscow

NOW = moscow(2026, 12, 1, 10, 5)
SLOT = moscow(2026, 12, 1, 11, 0)


def race(users) -> list:
    return at_once(
        lambda i: actions.callback_book(
            user=users[i], phone="+79161234567", topic="other", starts_at=SLOT, now=NOW
        ),
        len(users),
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_two_citizens_race_for_the_last_place(attempt):
    channel_make(places=1)
    users = [UserFactory(username=f"racer-{attempt}-{n}") for n in range(2)]
    results = race(users)
    booked = [r for r in results if isinstance(r, Callback)]
    refused = [r for r in results if isinstance(r, actions.SlotFull)]
    assert len(booked) == 1 and len(refused) == 1, results
    # The loser is offered the next free slot.
    assert refused[0].next_free.value == "2026-12-01T11:30"
    assert Callback.objects.count() == 1
    assert CallbackSlot.objects.get(starts_at=SLOT).taken == 1


@pytest.mark.django_db(transaction=True)
def test_four_citizens_race_for_two_places():
    channel_make(places=2)
    users = [UserFactory(username=f"racer4-{n}") for n in range(4)]
    results = race(users)
    assert sum(isinstance(r, Callback) for r in results) == 2, results
    assert sum(isinstance(r, actions.SlotFull) for r in results) == 2, results
    assert CallbackSlot.objects.get(starts_at=SLOT).taken == 2
    assert Callback.objects.filter(slot__starts_at=SLOT).count() == 2
