"""The lifecycle engine every kind of request shares: a table of steps, nothing else.

A kind (appeals, chats, call-backs, service applications) writes only its table: for each
step, who may take it, from which statuses, on which conditions (each with the message a
refusal shows) and where it leads. This module answers the three questions every layer
asks: why is this step refused (`refusal`, so actions, pages and the API give the same
words), which steps are open (`allowed`, what a page offers) and what the status becomes
(`status_after`). docs/architecture.md shows the pattern and how to add a lifecycle.
"""

import datetime
import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.functional import Promise

Situation = TypeVar("Situation")
Refusal = PermissionDenied | ValidationError


@dataclass(frozen=True)
class Condition(Generic[Situation]):
    """A test on the situation with the words shown when it fails."""

    test: Callable[[Situation], bool]
    message: Promise
    code: str
    # A condition about *who* refuses with PermissionDenied and is checked before the
    # status, so a stranger learns nothing about the item's state; one about the item
    # refuses with ValidationError (the page shows it next to the form).
    about_person: bool = False


@dataclass(frozen=True)
class Rule:
    roles: frozenset[enum.Enum]
    statuses: frozenset[str]
    conditions: tuple[Condition, ...] = ()
    to: str | None = None  # the status afterwards; None: as `moves` says, else unchanged
    moves: Mapping[str, str] = field(default_factory=dict)

    def target(self, status: str) -> str:
        return self.to or self.moves.get(status, status)


class Lifecycle:
    """One kind's table, the words of its two generic refusals, and, for kinds whose
    conditions look at (item, actor, now), how to build the situation from those."""

    def __init__(
        self,
        table: Mapping[Any, Rule],
        *,
        not_allowed: Promise,
        wrong_status: Callable[[Any, str], ValidationError],
        situation: Callable[[Any, Any, datetime.datetime], Any] | None = None,
    ) -> None:
        self.table = table
        self.not_allowed = not_allowed
        self.wrong_status = wrong_status
        self.situation = situation

    def refusal(self, step: Any, *, status: str, role: enum.Enum, situation: Any) -> Refusal | None:
        """Why `role` may not take `step` from `status` in this situation, or None."""
        rule = self.table[step]
        if role not in rule.roles:
            return PermissionDenied(self.not_allowed)
        for condition in rule.conditions:
            if condition.about_person and not condition.test(situation):
                return PermissionDenied(condition.message)
        if status not in rule.statuses:
            return self.wrong_status(step, status)
        for condition in rule.conditions:
            if not condition.about_person and not condition.test(situation):
                return ValidationError(condition.message, code=condition.code)
        return None

    def allowed(self, *, status: str, role: enum.Enum, situation: Any) -> list[Any]:
        """The steps open to `role` now, in the table's order: what a page offers."""
        return [
            step
            for step, rule in self.table.items()
            if role in rule.roles
            and self.refusal(step, status=status, role=role, situation=situation) is None
        ]

    def status_after(self, step: Any, status: str) -> str:
        return self.table[step].target(status)

    # The same questions about an item with a `status` and an actor with a `role`.

    def refusal_of(
        self, step: Any, item: Any, actor: Any, now: datetime.datetime | None = None
    ) -> Refusal | None:
        situation = self.situation(item, actor, now or timezone.now())
        return self.refusal(step, status=item.status, role=actor.role, situation=situation)

    def check_of(
        self, step: Any, item: Any, actor: Any, now: datetime.datetime | None = None
    ) -> None:
        """Raise the refusal, if there is one: actions call this before writing anything."""
        error = self.refusal_of(step, item, actor, now)
        if error is not None:
            raise error

    def allowed_of(
        self, item: Any, actor: Any | None, now: datetime.datetime | None = None
    ) -> frozenset[str]:
        """The values of the steps open to the actor (none for nobody): what a page offers."""
        if actor is None:
            return frozenset()
        situation = self.situation(item, actor, now or timezone.now())
        steps = self.allowed(status=item.status, role=actor.role, situation=situation)
        return frozenset(step.value for step in steps)


def wrong_status_message(message: Promise) -> Callable[[Any, str], ValidationError]:
    """The usual refusal for a step taken from the wrong status: one sentence, no details."""

    def refuse(step: Any, status: str) -> ValidationError:
        return ValidationError(message, code="status")

    return refuse


def messages_of(error: Refusal, *, fallback: Promise) -> list[str]:
    """The words of a refusal, whichever kind it is."""
    if isinstance(error, ValidationError):
        return error.messages
    return [str(error) or str(fallback)]
