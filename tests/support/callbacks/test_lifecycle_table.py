"""The call-back lifecycle, walked: every step × status × role × time (before the slot, after
its start). Allowed steps succeed and land where they should; the rest are refused with
their message and change nothing. The expectations are written out here, not read from
the table."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from portal.notifications.models import Notification
from support.callbacks import actions, lifecycle
from support.callbacks.lifecycle import NOT_STARTED, SLOT_STARTED, Step
from support.callbacks.models import Callback, CallbackEvent, CallbackSlot, Status
from support.centre.people import Actor, Role
from support.centre.refusals import NOT_ALLOWED, WRONG_STATUS
from tests.support.appeals.factories import operator_make, supervisor_make
from tests.support.callbacks.factories import callback_make, channel_make, moscow

pytestmark = pytest.mark.django_db

SLOT = moscow(2026, 12, 1, 11, 0)
TIMES = {"before": moscow(2026, 12, 1, 10, 40), "started": moscow(2026, 12, 1, 11, 10)}
NEW_SLOT = moscow(2026, 12, 1, 15, 0)
STAFF = {Role.OPERATOR, Role.SUPERVISOR}

# step: (roles, statuses, times, status afterwards)
ALLOWED = {
    Step.DONE: (STAFF, {Status.REQUESTED}, {"started"}, Status.DONE),
    Step.NO_ANSWER: (STAFF, {Status.REQUESTED}, {"started"}, Status.NO_ANSWER),
    Step.RESCHEDULE: (STAFF, {Status.REQUESTED, Status.NO_ANSWER}, set(TIMES), Status.REQUESTED),
    Step.MOVE: ({Role.CITIZEN}, {Status.REQUESTED}, {"before"}, Status.REQUESTED),
    Step.CANCEL: ({Role.CITIZEN}, {Status.REQUESTED}, {"before"}, Status.CANCELLED),
}


@pytest.fixture
def people(citizen):
    return {
        Role.CITIZEN: Actor(Role.CITIZEN, citizen),
        Role.OPERATOR: Actor(Role.OPERATOR, operator_make()),
        Role.SUPERVISOR: Actor(Role.SUPERVISOR, supervisor_make()),
        Role.SYSTEM: Actor(Role.SYSTEM),
    }


def run(step: Step, callback: Callback, actor: Actor, now):
    if step in (Step.DONE, Step.NO_ANSWER):
        return actions.callback_mark(callback=callback, actor=actor, step=step, now=now)
    if step == Step.CANCEL:
        return actions.callback_cancel(callback=callback, actor=actor, now=now)
    change = actions.callback_move if step == Step.MOVE else actions.callback_reschedule
    return change(callback=callback, actor=actor, starts_at=NEW_SLOT, now=now)


def snapshot():
    return (
        list(Callback.objects.values_list("status", "slot_id", "changed_at")),
        list(CallbackSlot.objects.order_by("starts_at").values_list("starts_at", "taken")),
        CallbackEvent.objects.count(),
        Notification.objects.count(),
    )


CASES = list(itertools.product(Step, Status, [Role.CITIZEN, *STAFF, Role.SYSTEM], TIMES))


@pytest.mark.parametrize(
    ("step", "status", "role", "time"), CASES, ids=["-".join(map(str, c)) for c in CASES]
)
def test_every_step_status_role_and_time(people, citizen, step, status, role, time):
    channel_make(places=2)
    callback = callback_make(user=citizen, starts_at=SLOT, status=status)
    actor, now = people[role], TIMES[time]
    roles, statuses, times, after = ALLOWED[step]
    expected = role in roles and status in statuses and time in times
    allowed = lifecycle.steps_allowed(callback=callback, actor=actor, now=now)
    assert (step.value in allowed) is expected
    before = snapshot()
    if expected:
        run(step, callback, actor, now)
        callback.refresh_from_db()
        assert callback.status == after
        assert CallbackEvent.objects.filter(callback=callback, step=step).count() == 1
        slots = dict(CallbackSlot.objects.values_list("starts_at", "taken"))
        if step in (Step.RESCHEDULE, Step.MOVE):
            assert callback.slot.starts_at == NEW_SLOT
            assert slots[NEW_SLOT] == 1
            assert slots[SLOT] == 0
        if step == Step.CANCEL:
            assert slots[SLOT] == 0
        # Staff outcomes and staff moves reach the citizen; their own steps do not.
        notified = Notification.objects.filter(user=citizen, event="status_changed").count()
        assert notified == (1 if role in STAFF else 0)
        return
    with pytest.raises((PermissionDenied, ValidationError)) as error:
        run(step, callback, actor, now)
    if role not in roles:
        assert isinstance(error.value, PermissionDenied)
        assert str(error.value) == str(NOT_ALLOWED)
    elif status not in statuses:
        assert error.value.messages == [str(WRONG_STATUS)]
    else:
        message = NOT_STARTED if time == "before" else SLOT_STARTED
        assert error.value.messages == [str(message)]
    assert snapshot() == before


def test_staff_outcome_notifies_the_citizen_with_a_link(people, citizen):
    channel_make()
    callback = callback_make(user=citizen, starts_at=SLOT)
    actions.callback_mark(
        callback=callback, actor=people[Role.OPERATOR], step=Step.DONE, now=TIMES["started"]
    )
    notification = Notification.objects.get(user=citizen)
    assert notification.event == "status_changed"
    assert notification.title == f"Обратный звонок № {callback.number}: Звонок состоялся"
    assert notification.url == f"/support/callback/{callback.number}/"


def test_moving_into_a_full_slot_keeps_the_old_one(people, citizen, other_citizen):
    channel_make(places=1)
    callback = callback_make(user=citizen, starts_at=SLOT)
    callback_make(user=other_citizen, starts_at=NEW_SLOT, number="87654321")
    with pytest.raises(actions.SlotFull):
        run(Step.MOVE, callback, people[Role.CITIZEN], TIMES["before"])
    callback.refresh_from_db()
    assert callback.slot.starts_at == SLOT
    assert dict(CallbackSlot.objects.values_list("starts_at", "taken")) == {SLOT: 1, NEW_SLOT: 1}


def test_moving_to_the_same_slot_is_refused(people, citizen):
    channel_make()
    callback = callback_make(user=citizen, starts_at=SLOT)
    with pytest.raises(ValidationError) as error:
        actions.callback_move(
            callback=callback, actor=people[Role.CITIZEN], starts_at=SLOT, now=TIMES["before"]
        )
    assert error.value.message_dict == {"slot": [str(actions.SLOT_SAME)]}
