"""The application lifecycle as one table (the appeals' pattern).

A step is named by the status it leads to. Each row says who may take it and from which
statuses; refusing needs a reason. Actions refuse through `step_check` (nothing is written
when it refuses); the admin offers exactly `steps_allowed`; the department API answers 400
with the same message.
"""

import enum
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from portal.applications.models import Application, Status

WRONG_STATUS = _("Из статуса «%(current)s» в статус «%(target)s» перевести нельзя.")
NOT_ALLOWED = _("Это изменение статуса вам недоступно.")
REASON_REQUIRED = _("Укажите причину отказа.")
UNKNOWN_STATUS = _("Неизвестный статус.")


class Role(enum.StrEnum):
    DEPARTMENT = "department"  # the department's system, through its API key
    STAFF = "staff"  # a portal employee in the admin, correcting what a department reported


@dataclass(frozen=True)
class Rule:
    roles: frozenset[Role]
    statuses: frozenset[str]
    needs_reason: bool = False


BOTH = frozenset(Role)
DEPARTMENT = frozenset({Role.DEPARTMENT})
ACTIVE = frozenset({Status.ACCEPTED, Status.IN_REVIEW, Status.ACTION_REQUIRED})

# The result (ready or refused) is the department's decision; staff move applications
# between working states and cancel at the citizen's request.
TABLE: dict[str, Rule] = {
    Status.IN_REVIEW: Rule(BOTH, frozenset({Status.ACCEPTED, Status.ACTION_REQUIRED})),
    Status.ACTION_REQUIRED: Rule(BOTH, frozenset({Status.ACCEPTED, Status.IN_REVIEW})),
    Status.DONE: Rule(DEPARTMENT, frozenset({Status.IN_REVIEW})),
    Status.REFUSED: Rule(DEPARTMENT, ACTIVE, needs_reason=True),
    Status.CANCELLED: Rule(BOTH, ACTIVE),
}


def refusal(
    target: str, *, application: Application, role: Role, reason: str = ""
) -> PermissionDenied | ValidationError | None:
    """Why this role may not move this application to `target` now, or None when it may."""
    rule = TABLE.get(target)
    if rule is None:
        return ValidationError(UNKNOWN_STATUS, code="unknown")
    if role not in rule.roles:
        return PermissionDenied(NOT_ALLOWED)
    if application.status not in rule.statuses:
        return ValidationError(
            WRONG_STATUS,
            code="status",
            params={
                "current": Status(application.status).label,
                "target": Status(target).label,
            },
        )
    if rule.needs_reason and not reason.strip():
        return ValidationError(REASON_REQUIRED, code="reason")
    return None


def step_check(target: str, *, application: Application, role: Role, reason: str = "") -> None:
    """Raise PermissionDenied or ValidationError with the message when the move is refused."""
    error = refusal(target, application=application, role=role, reason=reason)
    if error is not None:
        raise error


def steps_allowed(*, application: Application, role: Role) -> list[str]:
    """The statuses this role may move the application to (a reason assumed where needed)."""
    return [
        target
        for target in TABLE
        if refusal(target, application=application, role=role, reason="-") is None
    ]


def messages_of(error: PermissionDenied | ValidationError) -> list[str]:
    if isinstance(error, ValidationError):
        return error.messages
    return [str(error) or str(NOT_ALLOWED)]
