"""The call-back lifecycle as one table, run by the shared engine (portal.lifecycle).

requested → done / no answer (staff, once the slot has begun) / rescheduled to a new
slot (staff; the citizen before the slot) / cancelled (the citizen, before the slot).
Actions refuse through `step_check`; pages render exactly `steps_allowed`.
"""

import enum

from django.utils.translation import gettext_lazy as _

from portal import lifecycle as engine
from portal.lifecycle import Condition, Rule
from support.callbacks.models import Callback, CallbackEvent, Status
from support.centre.people import STAFF, Role
from support.centre.refusals import Situation, contact_lifecycle

NOT_STARTED = _("Время звонка ещё не наступило.")
SLOT_STARTED = _("Время звонка уже наступило: изменить или отменить заявку нельзя.")


class Step(enum.StrEnum):
    DONE = "done"
    NO_ANSWER = "no_answer"
    RESCHEDULE = "reschedule"  # staff: agreed a new time with the citizen
    MOVE = "move"  # the citizen picks another time before the slot
    CANCEL = "cancel"


def _started(s: Situation[Callback]) -> bool:
    return s.now >= s.item.slot.starts_at


STARTED = Condition(_started, NOT_STARTED, "not_started")
BEFORE_SLOT = Condition(lambda s: not _started(s), SLOT_STARTED, "started")

CITIZEN = frozenset({Role.CITIZEN})


TABLE: dict[Step, Rule] = {
    Step.DONE: Rule(STAFF, frozenset({Status.REQUESTED}), (STARTED,), to=Status.DONE),
    Step.NO_ANSWER: Rule(STAFF, frozenset({Status.REQUESTED}), (STARTED,), to=Status.NO_ANSWER),
    Step.RESCHEDULE: Rule(
        STAFF, frozenset({Status.REQUESTED, Status.NO_ANSWER}), to=Status.REQUESTED
    ),
    Step.MOVE: Rule(CITIZEN, frozenset({Status.REQUESTED}), (BEFORE_SLOT,), to=Status.REQUESTED),
    Step.CANCEL: Rule(CITIZEN, frozenset({Status.REQUESTED}), (BEFORE_SLOT,), to=Status.CANCELLED),
}


def record(moving: engine.Transition) -> CallbackEvent:
    """A step's history row, with the time the call then pointed at."""
    return CallbackEvent.step_write(
        moving,
        item="callback",
        at=moving.at,
        slot_starts_at=moving.item.slot.starts_at,
        actor=moving.actor.person if moving.actor is not None else None,
    )


# No doorbell: what the citizen is told is an inbox notification the actions store.
LIFECYCLE = contact_lifecycle(TABLE, item="callback", record=record)


# The kind's questions (docs/architecture.md), asked about `callback=`.
step_check = LIFECYCLE.step_check
steps_allowed = LIFECYCLE.steps_allowed
status_after = LIFECYCLE.status_after
