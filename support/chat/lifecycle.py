"""The conversation's lifecycle as one table, run by the shared engine (portal.lifecycle).

bot → waiting → with an operator → closed. Each step names who may take it, from which
statuses, on which conditions (each with the message a refusal shows) and where it leads.
Actions call `step_check` under the row's lock; pages offer exactly `steps_allowed`.
"""

import enum

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portal import lifecycle as engine
from portal.lifecycle import Condition, Rule

# The people are the contact centre's (a citizen, an operator, a supervisor, the system); the
# chat's modules take them from here.
from support.centre.people import STAFF, SYSTEM, Actor, Role, citizen, staff  # noqa: F401
from support.centre.refusals import Situation, contact_lifecycle
from support.chat.events import queue_ring
from support.chat.models import OPEN_STATUSES, Conversation, Status
from support.chat.rules import RETRY_AFTER
from support.chat.selectors import owns

WRONG_STATUS = _("Сейчас так сделать нельзя. Обновите страницу: возможно, чат изменился.")
NOT_YOURS = _("Этот чат ведёт другой оператор.")
NOT_OWNER = _("Это не ваш чат.")
TOO_EARLY_RETRY = format_lazy(
    _("Повторить запрос можно через {minutes} минут ожидания."),
    minutes=int(RETRY_AFTER.total_seconds() // 60),
)
ALREADY_RETRIED = _("Запрос уже повторён: чат поднят в очереди.")
ALREADY_RATED = _("Оценка уже поставлена. Спасибо!")


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


def _owner(s: Situation[Conversation]) -> bool:
    return owns(user=s.actor.user, visitor=s.actor.visitor, conversation=s.item)


def _holder(s: Situation[Conversation]) -> bool:
    """A supervisor, or the operator who holds the conversation."""
    return s.actor.role == Role.SUPERVISOR or s.actor.holds(s.item)


def _waited_long(s: Situation[Conversation]) -> bool:
    queued = s.item.queued_at
    return queued is not None and s.now - queued >= RETRY_AFTER


OWNER = Condition(_owner, NOT_OWNER, "not_owner", about_person=True)
HOLDER = Condition(_holder, NOT_YOURS, "not_yours", about_person=True)

CITIZEN = frozenset({Role.CITIZEN})
OPEN = frozenset(OPEN_STATUSES)


TABLE: dict[Step, Rule] = {
    Step.ASK: Rule(CITIZEN, frozenset({Status.BOT}), (OWNER,)),
    # A visitor's hand-off and message left carry their contacts (the actions ask
    # `support.centre.contacts`): a person's answer must reach them.
    Step.HAND_OFF: Rule(CITIZEN, frozenset({Status.BOT}), (OWNER,), to=Status.WAITING),
    Step.RETRY: Rule(
        CITIZEN,
        frozenset({Status.WAITING}),
        (
            OWNER,
            Condition(lambda s: s.item.retried_at is None, ALREADY_RETRIED, "retried"),
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
            Condition(lambda s: s.item.rating is None, ALREADY_RATED, "rated"),
        ),
    ),
    Step.END: Rule(CITIZEN, OPEN, (OWNER,), to=Status.CLOSED),
    Step.TAKE: Rule(STAFF, frozenset({Status.WAITING}), to=Status.OPERATOR),
    Step.ANSWER: Rule(STAFF, frozenset({Status.OPERATOR}), (HOLDER,)),
    Step.TRANSFER: Rule(STAFF, frozenset({Status.OPERATOR}), (HOLDER,)),
    Step.CLOSE: Rule(STAFF, frozenset({Status.OPERATOR}), (HOLDER,), to=Status.CLOSED),
}


def ring(moving: engine.Transition) -> None:
    """After the commit: the operators' queue redraws when a step touched a waiting chat or
    handed one to another operator. (A chat's history is its transcript: the actions say
    each step there, and every stored line rings the chat's sockets.)"""
    if Status.WAITING in (moving.before, moving.after) or moving.step == Step.TRANSFER:
        queue_ring()


LIFECYCLE = contact_lifecycle(TABLE, item="conversation", ring=ring)


# The kind's questions (docs/architecture.md), asked about `conversation=`.
refusal = LIFECYCLE.step_refusal
step_check = LIFECYCLE.step_check
steps_allowed = LIFECYCLE.steps_allowed
status_after = LIFECYCLE.status_after
