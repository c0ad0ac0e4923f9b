"""The application lifecycle as one table, run by the shared engine (portal.lifecycle).

A step is named by the status it leads to. Each row says who may take it and from which
statuses; refusing needs a reason. Actions refuse through `step_check` (nothing is written
when it refuses); the admin offers exactly `steps_allowed`; the department API answers 400
with the same message.
"""

import enum
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from portal import lifecycle as engine
from portal.applications.models import Application, ApplicationEvent, Status
from portal.lifecycle import Condition, Rule

WRONG_STATUS = _("Из статуса «%(current)s» в статус «%(target)s» перевести нельзя.")
NOT_ALLOWED = _("Это изменение статуса вам недоступно.")
REASON_REQUIRED = _("Укажите причину отказа.")
UNKNOWN_STATUS = _("Неизвестный статус.")


class Role(enum.StrEnum):
    DEPARTMENT = "department"  # the department's system, through its API key
    STAFF = "staff"  # a portal employee in the admin, correcting what a department reported


@dataclass(frozen=True)
class Situation:
    reason: str


REASON_GIVEN = Condition(lambda s: bool(s.reason.strip()), REASON_REQUIRED, "reason")

BOTH = frozenset(Role)
DEPARTMENT = frozenset({Role.DEPARTMENT})
ACTIVE = frozenset({Status.ACCEPTED, Status.IN_REVIEW, Status.ACTION_REQUIRED})

# The result (ready or refused) is the department's decision; staff move applications
# between working states and cancel at the citizen's request.
TABLE: dict[str, Rule] = {
    target: Rule(roles, statuses, conditions, to=target)
    for target, roles, statuses, conditions in (
        (Status.IN_REVIEW, BOTH, frozenset({Status.ACCEPTED, Status.ACTION_REQUIRED}), ()),
        (Status.ACTION_REQUIRED, BOTH, frozenset({Status.ACCEPTED, Status.IN_REVIEW}), ()),
        (Status.DONE, DEPARTMENT, frozenset({Status.IN_REVIEW}), ()),
        (Status.REFUSED, DEPARTMENT, ACTIVE, (REASON_GIVEN,)),
        (Status.CANCELLED, BOTH, ACTIVE, ()),
    )
}


def _wrong_status(target: str, current: str) -> ValidationError:
    return ValidationError(
        WRONG_STATUS,
        code="status",
        params={"current": Status(current).label, "target": Status(target).label},
    )


def record(moving: engine.Transition) -> ApplicationEvent:
    """A step's history row; `history` says who (`actor_kind`) and why (`comment`)."""
    return ApplicationEvent.step_write(moving, item="application", at=moving.at, **moving.history)


# No doorbell: the citizen is told by an inbox notification the actions store.
LIFECYCLE = engine.Lifecycle(
    TABLE, not_allowed=NOT_ALLOWED, wrong_status=_wrong_status, record=record
)


def refusal(
    target: str, *, application: Application, role: Role, reason: str = ""
) -> PermissionDenied | ValidationError | None:
    """Why this role may not move this application to `target` now, or None when it may."""
    if target not in TABLE:
        return ValidationError(UNKNOWN_STATUS, code="unknown")
    return LIFECYCLE.refusal(
        target, status=application.status, role=role, situation=Situation(reason=reason)
    )


def step_check(target: str, *, application: Application, role: Role, reason: str = "") -> None:
    """Raise PermissionDenied or ValidationError with the message when the move is refused."""
    error = refusal(target, application=application, role=role, reason=reason)
    if error is not None:
        raise error


def steps_allowed(*, application: Application, role: Role) -> list[str]:
    """The statuses this role may move the application to (a reason assumed where needed)."""
    return LIFECYCLE.allowed(status=application.status, role=role, situation=Situation(reason="-"))


def messages_of(error: PermissionDenied | ValidationError) -> list[str]:
    return engine.messages_of(error, fallback=NOT_ALLOWED)
