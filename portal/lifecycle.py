"""The lifecycle engine every kind of request shares: a table of steps, nothing else.

A kind (appeals, chats, call-backs, service applications) writes only its table: for each
step, who may take it, from which statuses, on which conditions (each with the message a
refusal shows) and where it leads. This module answers the three questions every layer
asks: why is this step refused (`refusal`, so actions, pages and the API give the same
words), which steps are open (`allowed`, what a page offers) and what the status becomes
(`status_after`).

It also owns the transition itself (`Lifecycle.transition`, `Lifecycle.begin`): check the
table, change the status by a conditional update (of two people moving the same item at
once, one wins and the other is refused), write the history row in the one vocabulary every
kind shares (the row names the step of the table, `REGISTER` for the row that creates the
item) and ring the kind's doorbell after the commit. docs/architecture.md shows the pattern
and how to add a lifecycle.
"""

import datetime
import enum
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise

from portal.live import ring_on_commit

# The history's name for the row written when an item is created (an appeal registered, a
# call-back booked, an application accepted); every other row names a step of the table.
REGISTER = "register"

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


@dataclass
class Transition:
    """One step being taken: what the history row and the doorbell are told.

    `history` holds the kind's own columns for the row (a text, details); the body of
    `Lifecycle.begin` may add to it, and to `fields`, the item's other fields to save with
    the status. `record` is the history row, once written."""

    step: str
    item: Any
    actor: Any
    before: str
    after: str
    at: datetime.datetime
    fields: list[str] = field(default_factory=list)
    history: dict[str, Any] = field(default_factory=dict)
    record: Any = None

    @property
    def moved(self) -> bool:
        return self.before != self.after


class Lifecycle:
    """One kind's table, the words of its two generic refusals, and, for kinds whose
    conditions look at (item, actor, now), how to build the situation from those.

    `record(transition)` writes the kind's history row (inside the transaction);
    `ring(transition)` is the kind's doorbell, run after the commit, whose failure is
    logged and never fails the step (what it announces is already stored)."""

    def __init__(
        self,
        table: Mapping[Any, Rule],
        *,
        not_allowed: Promise,
        wrong_status: Callable[[Any, str], ValidationError],
        situation: Callable[[Any, Any, datetime.datetime], Any] | None = None,
        record: Callable[[Transition], Any] | None = None,
        ring: Callable[[Transition], None] | None = None,
        item: str = "item",
    ) -> None:
        self.table = table
        self.item = item
        self.not_allowed = not_allowed
        self.wrong_status = wrong_status
        self.situation = situation
        self.record = record
        self.ring = ring

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

    # The same again, the item named by the kind's own keyword (`appeal=…`, `callback=…`):
    # a kind's module offers these as its `refusal`, `step_check` and `steps_allowed`.

    def _named(self, named: dict[str, Any]) -> Any:
        if set(named) != {self.item}:
            raise TypeError(f"expected the item as {self.item}=, got {', '.join(named)}")
        return named[self.item]

    def step_refusal(
        self, step: Any, *, actor: Any, now: datetime.datetime | None = None, **named: Any
    ) -> Refusal | None:
        """Why this actor may not take this step now, or None when they may."""
        return self.refusal_of(step, self._named(named), actor, now)

    def step_check(
        self, step: Any, *, actor: Any, now: datetime.datetime | None = None, **named: Any
    ) -> None:
        """Raise PermissionDenied or ValidationError with the message when the step is refused."""
        self.check_of(step, self._named(named), actor, now)

    def steps_allowed(
        self, *, actor: Any | None, now: datetime.datetime | None = None, **named: Any
    ) -> frozenset[str]:
        """The steps this actor may take now: what the page offers."""
        return self.allowed_of(self._named(named), actor, now)

    # The transition, end to end.

    def _situation(self, item: Any, actor: Any, now: datetime.datetime) -> Any:
        return self.situation(item, actor, now) if self.situation is not None else None

    @contextmanager
    def begin(
        self,
        step: Any,
        item: Any,
        *,
        actor: Any = None,
        role: enum.Enum | None = None,
        situation: Any = None,
        now: datetime.datetime | None = None,
        fields: Iterable[str] = (),
        history: Mapping[str, Any] | None = None,
    ) -> Iterator[Transition]:
        """Take `step` on `item` in one transaction: refuse (nothing written) or, once the
        body has made the step's other changes on the item, save them with the new status,
        write the history row and ring after the commit.

        `item` is the row the caller read (under `select_for_update`, where the body reads
        more than the status). The status changes only if it is still the one checked: two
        people taking steps at once cannot both pass, the second is refused with the
        wrong-status words. An exception in the body writes nothing.
        """
        now = now or timezone.now()
        with transaction.atomic():
            if situation is None:
                situation = self._situation(item, actor, now)
            before = item.status
            error = self.refusal(step, status=before, role=role or actor.role, situation=situation)
            if error is not None:
                raise error
            moving = Transition(
                step=str(step),
                item=item,
                actor=actor,
                before=before,
                after=self.status_after(step, before),
                at=now,
                fields=list(fields),
                history=dict(history or {}),
            )
            yield moving
            self._apply(moving)

    def transition(self, step: Any, item: Any, **options: Any) -> Transition:
        """`begin` with nothing more to change than what `fields` names."""
        with self.begin(step, item, **options) as moving:
            pass
        return moving

    def _apply(self, moving: Transition) -> None:
        item = moving.item
        model = type(item)
        values = {}
        for name in moving.fields:
            model_field = model._meta.get_field(name)
            # pre_save gives what save() would write (auto_now fields take the time now).
            values[model_field.attname] = model_field.pre_save(item, False)
        changed = model._default_manager.filter(pk=item.pk, status=moving.before).update(
            status=moving.after, **values
        )
        if not changed:
            current = (
                model._default_manager.filter(pk=item.pk).values_list("status", flat=True).first()
            )
            raise self.wrong_status(moving.step, current or moving.before)
        item.status = moving.after
        self._written(moving)

    def _written(self, moving: Transition) -> None:
        if self.record is not None:
            moving.record = self.record(moving)
        if self.ring is not None:
            ring = self.ring
            ring_on_commit(lambda: ring(moving))

    def register(
        self,
        item: Any,
        *,
        actor: Any = None,
        now: datetime.datetime | None = None,
        history: Mapping[str, Any] | None = None,
    ) -> Transition:
        """The history row of a newly created item (`REGISTER`) and its doorbell; call in
        the transaction that created it."""
        created = Transition(
            step=REGISTER,
            item=item,
            actor=actor,
            before="",
            after=item.status,
            at=now or timezone.now(),
            history=dict(history or {}),
        )
        self._written(created)
        return created


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
