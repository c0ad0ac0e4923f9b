"""The appeal lifecycle as one table (run by the shared engine, portal.lifecycle).

Each step names who may take it, from which statuses, on which conditions, and where it
leads. Actions refuse through `step_check` (nothing is written when it refuses); pages render
exactly the steps `steps_allowed` returns; the API reports the same. To add a step: add a row
to `TABLE` and write its action (docs/architecture.md, "How to add a lifecycle").
"""

import datetime
import enum
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import lifecycle as engine
from portal.lifecycle import Condition, Rule
from portal.models import User
from support.appeals.models import (
    AWAITING_STAFF,
    OPEN_STATUSES,
    ActorKind,
    Appeal,
    DeadlineKind,
    Status,
)
from support.appeals.roles import user_is_operator, user_is_supervisor
from support.appeals.rules import REVIEW_WINDOW_DAYS

WRONG_STATUS = _(
    "В этом статусе так сделать нельзя. Обновите страницу: возможно, статус изменился."
)
NOT_ALLOWED = _("Это действие вам недоступно.")
NOT_YOURS = _("Это обращение ведёт другой оператор.")
ALREADY_YOURS = _("Обращение уже у вас в работе.")
REVIEW_WINDOW_PASSED = _("Пересмотр можно запросить в течение 30 дней после ответа.")
ESCALATION_NOT_YET = _(
    "Передать обращение руководителю можно, когда срок ответа истёк или после запроса пересмотра."
)
ALREADY_ESCALATED = _("Обращение уже передано руководителю.")
ALREADY_INTERAGENCY = _("Срок уже продлён до максимального.")
NOT_ANSWERED_LONG_AGO = _("Ответ дан меньше 30 дней назад.")


class Role(enum.StrEnum):
    CITIZEN = "citizen"  # the author, or whoever proved number + e-mail in this session
    OPERATOR = "operator"
    SUPERVISOR = "supervisor"
    SYSTEM = "system"


@dataclass(frozen=True)
class Actor:
    """Who takes a step: a role, and the person when there is one."""

    role: Role
    user: User | None = None

    @property
    def kind(self) -> str:
        """How the history names them."""
        return {Role.CITIZEN: ActorKind.CITIZEN, Role.SYSTEM: ActorKind.SYSTEM}.get(
            self.role, ActorKind.STAFF
        )

    @property
    def person(self) -> User | None:
        user = self.user
        return user if user is not None and user.is_authenticated else None


SYSTEM = Actor(Role.SYSTEM)


def citizen(user: User | None) -> Actor:
    """The citizen's side; the caller has already checked they may see the appeal."""
    return Actor(Role.CITIZEN, user)


def staff(user: User | None) -> Actor | None:
    """The staff role a person holds, or None for somebody who is not staff."""
    if user_is_supervisor(user):
        return Actor(Role.SUPERVISOR, user)
    if user_is_operator(user):
        return Actor(Role.OPERATOR, user)
    return None


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
    # The daily housekeeping
    AUTO_CLOSE = "auto_close"


@dataclass(frozen=True)
class Situation:
    """What the conditions look at."""

    appeal: Appeal
    actor: Actor
    now: datetime.datetime

    @property
    def today(self) -> datetime.date:
        return timezone.localdate(self.now)


def _is_mine(s: Situation) -> bool:
    return s.actor.user is not None and s.appeal.operator_id == s.actor.user.pk


def _is_free(s: Situation) -> bool:
    return s.appeal.operator_id is None and not s.appeal.escalated


def handler(s: Situation) -> bool:
    """Who works on an appeal: a supervisor, its operator, or any operator while it is free."""
    return s.actor.role == Role.SUPERVISOR or _is_mine(s) or _is_free(s)


def review_window_open(s: Situation) -> bool:
    answered = s.appeal.answered_at
    return answered is not None and s.now - answered <= datetime.timedelta(days=REVIEW_WINDOW_DAYS)


HANDLER = Condition(handler, NOT_YOURS, "not_yours", about_person=True)
NOT_MINE = Condition(lambda s: not _is_mine(s), ALREADY_YOURS, "taken")
NOT_ESCALATED = Condition(lambda s: not s.appeal.escalated, ALREADY_ESCALATED, "escalated")

STAFF = frozenset({Role.OPERATOR, Role.SUPERVISOR})
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
                lambda s: s.appeal.deadline_kind != DeadlineKind.INTERAGENCY,
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
                lambda s: s.appeal.is_overdue_on(s.today) or s.appeal.review_count > 0,
                ESCALATION_NOT_YET,
                "escalation",
            ),
        ),
        moves={Status.ANSWERED: Status.IN_PROGRESS},
    ),
    Step.RESOLVED: Rule(CITIZEN, frozenset({Status.ANSWERED}), to=Status.CLOSED),
    Step.AUTO_CLOSE: Rule(
        frozenset({Role.SYSTEM}),
        frozenset({Status.ANSWERED}),
        (Condition(lambda s: not review_window_open(s), NOT_ANSWERED_LONG_AGO, "too_early"),),
        to=Status.CLOSED,
    ),
}


LIFECYCLE = engine.Lifecycle(
    TABLE,
    not_allowed=NOT_ALLOWED,
    wrong_status=engine.wrong_status_message(WRONG_STATUS),
    situation=Situation,
)


def refusal(
    step: Step, *, appeal: Appeal, actor: Actor, now: datetime.datetime | None = None
) -> PermissionDenied | ValidationError | None:
    """Why this actor may not take this step now, or None when they may."""
    return LIFECYCLE.refusal_of(step, appeal, actor, now)


def step_check(
    step: Step, *, appeal: Appeal, actor: Actor, now: datetime.datetime | None = None
) -> None:
    """Raise PermissionDenied or ValidationError with the message when the step is refused."""
    LIFECYCLE.check_of(step, appeal, actor, now)


def steps_allowed(
    *, appeal: Appeal, actor: Actor | None, now: datetime.datetime | None = None
) -> frozenset[str]:
    """The steps this actor may take now: what the page offers."""
    return LIFECYCLE.allowed_of(appeal, actor, now)


def status_after(step: Step, status: str) -> str:
    return LIFECYCLE.status_after(step, status)


def messages_of(error: PermissionDenied | ValidationError) -> list[str]:
    """The words of a refusal, whichever kind it is."""
    return engine.messages_of(error, fallback=NOT_ALLOWED)
