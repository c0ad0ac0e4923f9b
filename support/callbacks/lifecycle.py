"""The call-back lifecycle as one table, on the appeals' pattern.

requested → done / no answer (staff, once the slot has begun) / rescheduled to a new
slot (staff; the citizen before the slot) / cancelled (the citizen, before the slot).
Actions refuse through `step_check`; pages render exactly `steps_allowed`.
"""

import datetime
import enum
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from support.appeals.lifecycle import NOT_ALLOWED, WRONG_STATUS, Actor, Role
from support.callbacks.models import Callback, Status

NOT_STARTED = _("Время звонка ещё не наступило.")
SLOT_STARTED = _("Время звонка уже наступило: изменить или отменить заявку нельзя.")


class Step(enum.StrEnum):
    DONE = "done"
    NO_ANSWER = "no_answer"
    RESCHEDULE = "reschedule"  # staff: agreed a new time with the citizen
    MOVE = "move"  # the citizen picks another time before the slot
    CANCEL = "cancel"


@dataclass(frozen=True)
class Situation:
    callback: Callback
    actor: Actor
    now: datetime.datetime


@dataclass(frozen=True)
class Condition:
    test: Callable[[Situation], bool]
    message: Promise
    code: str


def _started(s: Situation) -> bool:
    return s.now >= s.callback.slot.starts_at


STARTED = Condition(_started, NOT_STARTED, "not_started")
BEFORE_SLOT = Condition(lambda s: not _started(s), SLOT_STARTED, "started")

STAFF = frozenset({Role.OPERATOR, Role.SUPERVISOR})
CITIZEN = frozenset({Role.CITIZEN})


@dataclass(frozen=True)
class Rule:
    roles: frozenset[Role]
    statuses: frozenset[str]
    conditions: tuple[Condition, ...]
    to: str


TABLE: dict[Step, Rule] = {
    Step.DONE: Rule(STAFF, frozenset({Status.REQUESTED}), (STARTED,), Status.DONE),
    Step.NO_ANSWER: Rule(STAFF, frozenset({Status.REQUESTED}), (STARTED,), Status.NO_ANSWER),
    Step.RESCHEDULE: Rule(
        STAFF, frozenset({Status.REQUESTED, Status.NO_ANSWER}), (), Status.REQUESTED
    ),
    Step.MOVE: Rule(CITIZEN, frozenset({Status.REQUESTED}), (BEFORE_SLOT,), Status.REQUESTED),
    Step.CANCEL: Rule(CITIZEN, frozenset({Status.REQUESTED}), (BEFORE_SLOT,), Status.CANCELLED),
}


def refusal(
    step: Step, *, callback: Callback, actor: Actor, now: datetime.datetime | None = None
) -> PermissionDenied | ValidationError | None:
    """Why this actor may not take this step now, or None when they may."""
    rule = TABLE[step]
    if actor.role not in rule.roles:
        return PermissionDenied(NOT_ALLOWED)
    if callback.status not in rule.statuses:
        return ValidationError(WRONG_STATUS, code="status")
    situation = Situation(callback=callback, actor=actor, now=now or timezone.now())
    for condition in rule.conditions:
        if not condition.test(situation):
            return ValidationError(condition.message, code=condition.code)
    return None


def step_check(
    step: Step, *, callback: Callback, actor: Actor, now: datetime.datetime | None = None
) -> None:
    error = refusal(step, callback=callback, actor=actor, now=now)
    if error is not None:
        raise error


def steps_allowed(
    *, callback: Callback, actor: Actor | None, now: datetime.datetime | None = None
) -> frozenset[str]:
    if actor is None:
        return frozenset()
    now = now or timezone.now()
    return frozenset(
        step.value
        for step, rule in TABLE.items()
        if actor.role in rule.roles
        and refusal(step, callback=callback, actor=actor, now=now) is None
    )
