"""The conversation's lifecycle as one table (the appeals' pattern, support.appeals.lifecycle).

bot → waiting → with an operator → closed. Each step names who may take it, from which
statuses, on which conditions (each with the message a refusal shows) and where it leads.
Actions call `step_check` under the row's lock; pages offer exactly `steps_allowed`.
"""

import datetime
import enum
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portal.models import User
from support.appeals.roles import user_is_operator, user_is_supervisor
from support.chat.models import OPEN_STATUSES, Conversation, Status
from support.chat.rules import RETRY_AFTER

WRONG_STATUS = _("Сейчас так сделать нельзя. Обновите страницу: возможно, чат изменился.")
NOT_ALLOWED = _("Это действие вам недоступно.")
NOT_YOURS = _("Этот чат ведёт другой оператор.")
NOT_OWNER = _("Это не ваш чат.")
TOO_EARLY_RETRY = _("Повторить запрос можно через 5 минут ожидания.")
ALREADY_RETRIED = _("Запрос уже повторён: чат поднят в очереди.")
ALREADY_RATED = _("Оценка уже поставлена. Спасибо!")


class Role(enum.StrEnum):
    CITIZEN = "citizen"
    OPERATOR = "operator"
    SUPERVISOR = "supervisor"
    SYSTEM = "system"


@dataclass(frozen=True)
class Actor:
    role: Role
    user: User | None = None


SYSTEM = Actor(Role.SYSTEM)


def citizen(user: User) -> Actor:
    return Actor(Role.CITIZEN, user)


def staff(user: User | None) -> Actor | None:
    """The staff role a person holds in the chat, or None."""
    if user_is_supervisor(user):
        return Actor(Role.SUPERVISOR, user)
    if user_is_operator(user):
        return Actor(Role.OPERATOR, user)
    return None


class Step(enum.StrEnum):
    # The citizen
    ASK = "ask"  # write to the bot
    HAND_OFF = "hand_off"  # "Связаться с оператором"
    RETRY = "retry"  # "Повторить запрос"
    LEAVE_MESSAGE = "leave_message"  # "Оставить сообщение": an appeal with the transcript
    WRITE = "write"  # write while waiting or to the operator
    RATE = "rate"
    END = "end"  # the citizen closes the chat themselves
    # Staff
    TAKE = "take"
    ANSWER = "answer"
    TRANSFER = "transfer"
    CLOSE = "close"


@dataclass(frozen=True)
class Situation:
    conversation: Conversation
    actor: Actor
    now: datetime.datetime


@dataclass(frozen=True)
class Condition:
    test: Callable[[Situation], bool]
    message: Promise
    code: str
    about_person: bool = False


def _owner(s: Situation) -> bool:
    return s.actor.user is not None and s.conversation.user_id == s.actor.user.pk


def _holder(s: Situation) -> bool:
    """A supervisor, or the operator who holds the conversation."""
    if s.actor.role == Role.SUPERVISOR:
        return True
    return s.actor.user is not None and s.conversation.operator_id == s.actor.user.pk


def _waited_long(s: Situation) -> bool:
    queued = s.conversation.queued_at
    return queued is not None and s.now - queued >= RETRY_AFTER


OWNER = Condition(_owner, NOT_OWNER, "not_owner", about_person=True)
HOLDER = Condition(_holder, NOT_YOURS, "not_yours", about_person=True)

CITIZEN = frozenset({Role.CITIZEN})
STAFF = frozenset({Role.OPERATOR, Role.SUPERVISOR})
OPEN = frozenset(OPEN_STATUSES)


@dataclass(frozen=True)
class Rule:
    roles: frozenset[Role]
    statuses: frozenset[str]
    conditions: tuple[Condition, ...] = ()
    to: str | None = None  # None: the status stays

    def target(self, status: str) -> str:
        return self.to or status


TABLE: dict[Step, Rule] = {
    Step.ASK: Rule(CITIZEN, frozenset({Status.BOT}), (OWNER,)),
    Step.HAND_OFF: Rule(CITIZEN, frozenset({Status.BOT}), (OWNER,), to=Status.WAITING),
    Step.RETRY: Rule(
        CITIZEN,
        frozenset({Status.WAITING}),
        (
            OWNER,
            Condition(lambda s: s.conversation.retried_at is None, ALREADY_RETRIED, "retried"),
            Condition(_waited_long, TOO_EARLY_RETRY, "too_early"),
        ),
    ),
    Step.LEAVE_MESSAGE: Rule(
        CITIZEN, frozenset({Status.BOT, Status.WAITING}), (OWNER,), to=Status.CLOSED
    ),
    Step.WRITE: Rule(CITIZEN, frozenset({Status.WAITING, Status.OPERATOR}), (OWNER,)),
    Step.RATE: Rule(
        CITIZEN,
        frozenset({Status.CLOSED}),
        (
            OWNER,
            Condition(lambda s: s.conversation.rating is None, ALREADY_RATED, "rated"),
        ),
    ),
    Step.END: Rule(CITIZEN, OPEN, (OWNER,), to=Status.CLOSED),
    Step.TAKE: Rule(STAFF, frozenset({Status.WAITING}), to=Status.OPERATOR),
    Step.ANSWER: Rule(STAFF, frozenset({Status.OPERATOR}), (HOLDER,)),
    Step.TRANSFER: Rule(STAFF, frozenset({Status.OPERATOR}), (HOLDER,)),
    Step.CLOSE: Rule(STAFF, frozenset({Status.OPERATOR}), (HOLDER,), to=Status.CLOSED),
}


def refusal(
    step: Step, *, conversation: Conversation, actor: Actor, now: datetime.datetime | None = None
) -> PermissionDenied | ValidationError | None:
    """Why this actor may not take this step now, or None when they may."""
    rule = TABLE[step]
    if actor.role not in rule.roles:
        return PermissionDenied(NOT_ALLOWED)
    situation = Situation(conversation=conversation, actor=actor, now=now or timezone.now())
    # Who first: a stranger learns nothing about the conversation's state.
    for condition in rule.conditions:
        if condition.about_person and not condition.test(situation):
            return PermissionDenied(condition.message)
    if conversation.status not in rule.statuses:
        return ValidationError(WRONG_STATUS, code="status")
    for condition in rule.conditions:
        if not condition.about_person and not condition.test(situation):
            return ValidationError(condition.message, code=condition.code)
    return None


def step_check(
    step: Step, *, conversation: Conversation, actor: Actor, now: datetime.datetime | None = None
) -> None:
    error = refusal(step, conversation=conversation, actor=actor, now=now)
    if error is not None:
        raise error


def steps_allowed(
    *, conversation: Conversation, actor: Actor | None, now: datetime.datetime | None = None
) -> frozenset[str]:
    if actor is None:
        return frozenset()
    now = now or timezone.now()
    return frozenset(
        step.value
        for step, rule in TABLE.items()
        if actor.role in rule.roles
        and refusal(step, conversation=conversation, actor=actor, now=now) is None
    )


def status_after(step: Step, status: str) -> str:
    return TABLE[step].target(status)


def messages_of(error: PermissionDenied | ValidationError) -> list[str]:
    if isinstance(error, ValidationError):
        return error.messages
    return [str(error) or str(NOT_ALLOWED)]
