"""The appeal lifecycle as one table (run by the shared engine, portal.lifecycle).

Each step names who may take it, from which statuses, on which conditions, and where it
leads. Actions refuse through `step_check` (nothing is written when it refuses); pages render
exactly the steps `steps_allowed` returns; the API reports the same. To add a step: add a row
to `TABLE` and write its action (docs/architecture.md, "How to add a lifecycle").
"""

import datetime
import enum

from django.utils.translation import gettext_lazy as _

from portal.lifecycle import Condition, Rule
from support.appeals import access, history
from support.appeals.models import (
    AWAITING_STAFF,
    OPEN_STATUSES,
    Appeal,
    DeadlineKind,
    Status,
)
from support.appeals.rules import NOT_ANSWERED_LONG_AGO, REVIEW_WINDOW_DAYS, REVIEW_WINDOW_PASSED
from support.centre.people import STAFF, Role
from support.centre.refusals import Situation, contact_lifecycle

NOT_YOURS = _("Это обращение ведёт другой оператор.")
ALREADY_YOURS = _("Обращение уже у вас в работе.")
ESCALATION_NOT_YET = _(
    "Передать обращение руководителю можно, когда срок ответа истёк или после запроса пересмотра."
)
ALREADY_ESCALATED = _("Обращение уже передано руководителю.")
ALREADY_INTERAGENCY = _("Срок уже продлён до максимального.")


class Step(enum.StrEnum):
    # Staff
    TAKE = "take"
    ASSIGN = "assign"
    ANSWER = "answer"
    CLARIFICATION = "clarification"
    EXTEND = "extend"
    CLOSE = "close"
    COMMENT = "comment"
    # The citizen
    CLARIFY = "clarify"
    REVIEW = "review"
    ESCALATE = "escalate"
    RESOLVED = "resolved"
    ADD = "add"
    # The daily housekeeping
    AUTO_CLOSE = "auto_close"


def handler(s: Situation[Appeal]) -> bool:
    """Who works on an appeal: whoever of the staff may see it (the access policy)."""
    return access.staff_sees(s.item, actor=s.actor)


def review_window_open(s: Situation[Appeal]) -> bool:
    answered = s.item.answered_at
    return answered is not None and s.now - answered <= datetime.timedelta(days=REVIEW_WINDOW_DAYS)


HANDLER = Condition(handler, NOT_YOURS, "not_yours", about_person=True)
NOT_MINE = Condition(lambda s: not s.actor.holds(s.item), ALREADY_YOURS, "taken")
NOT_ESCALATED = Condition(lambda s: not s.item.escalated, ALREADY_ESCALATED, "escalated")

CITIZEN = frozenset({Role.CITIZEN})
OPEN = frozenset(OPEN_STATUSES)
ALL_STATUSES = frozenset(Status)


STARTS_WORK = {Status.REGISTERED: Status.IN_PROGRESS}

TABLE: dict[Step, Rule] = {
    Step.TAKE: Rule(
        STAFF,
        OPEN,
        (HANDLER, NOT_MINE),
        moves=STARTS_WORK,
    ),
    Step.ASSIGN: Rule(frozenset({Role.SUPERVISOR}), OPEN | {Status.ANSWERED}, moves=STARTS_WORK),
    Step.ANSWER: Rule(STAFF, OPEN, (HANDLER,), to=Status.ANSWERED),
    Step.CLARIFICATION: Rule(
        STAFF,
        frozenset(AWAITING_STAFF),
        (HANDLER,),
        to=Status.CLARIFICATION,
    ),
    Step.EXTEND: Rule(
        STAFF,
        OPEN,
        (
            HANDLER,
            Condition(
                lambda s: s.item.deadline_kind != DeadlineKind.INTERAGENCY,
                ALREADY_INTERAGENCY,
                "extended",
            ),
        ),
    ),
    Step.CLOSE: Rule(STAFF, OPEN | {Status.ANSWERED}, (HANDLER,), to=Status.CLOSED),
    Step.COMMENT: Rule(STAFF, ALL_STATUSES),
    Step.CLARIFY: Rule(CITIZEN, frozenset({Status.CLARIFICATION}), to=Status.IN_PROGRESS),
    Step.REVIEW: Rule(
        CITIZEN,
        frozenset({Status.ANSWERED}),
        (Condition(review_window_open, REVIEW_WINDOW_PASSED, "review_window"),),
        to=Status.IN_PROGRESS,
    ),
    Step.ESCALATE: Rule(
        CITIZEN,
        ALL_STATUSES - {Status.CLOSED},
        (
            NOT_ESCALATED,
            Condition(
                lambda s: access.overdue(s.item, today=s.today) or s.item.review_count > 0,
                ESCALATION_NOT_YET,
                "escalation",
            ),
        ),
        moves={Status.ANSWERED: Status.IN_PROGRESS},
    ),
    Step.RESOLVED: Rule(CITIZEN, frozenset({Status.ANSWERED}), to=Status.CLOSED),
    # More words or files from the citizen while the appeal is being worked on or after the
    # answer (a reply to a letter, say); the status stays. Clarifications go through CLARIFY.
    Step.ADD: Rule(CITIZEN, frozenset({Status.REGISTERED, Status.IN_PROGRESS, Status.ANSWERED})),
    Step.AUTO_CLOSE: Rule(
        frozenset({Role.SYSTEM}),
        frozenset({Status.ANSWERED}),
        (Condition(lambda s: not review_window_open(s), NOT_ANSWERED_LONG_AGO, "too_early"),),
        to=Status.CLOSED,
    ),
}


LIFECYCLE = contact_lifecycle(TABLE, item="appeal", record=history.record, ring=history.ring)


# The kind's questions (docs/architecture.md), asked about `appeal=`.
refusal = LIFECYCLE.step_refusal
step_check = LIFECYCLE.step_check
steps_allowed = LIFECYCLE.steps_allowed
status_after = LIFECYCLE.status_after
