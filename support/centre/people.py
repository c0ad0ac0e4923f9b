"""Who works in the contact centre, and who takes a step in any kind's lifecycle.

The two staff roles are permissions the staff groups carry. They were first defined with
the appeals (their codenames are stored under the appeals app, see its migrations), and the
chat and the call-backs ask the same ones: one operator works every channel.
"""

import enum
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from portal.models import User
from portal.roles import OPERATORS, SUPERVISORS

WORK = "appeals.work_appeal"
SUPERVISE = "appeals.supervise_appeal"


def _staff_with(user: AbstractBaseUser | AnonymousUser | None, permission: str) -> bool:
    # Staff status too: an account taken out of the staff keeps its groups but loses
    # every page, socket and action of the centre at once.
    return bool(
        user is not None
        and user.is_authenticated
        and getattr(user, "is_staff", False)
        and user.has_perm(permission)
    )


def user_is_operator(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    return _staff_with(user, WORK)


def user_is_supervisor(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    return _staff_with(user, SUPERVISE)


def staff_assignable() -> QuerySet[User]:
    """People work can be handed to: active members of either staff group."""
    return (
        User.objects.filter(is_active=True, groups__name__in=[OPERATORS, SUPERVISORS])
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def supervisors() -> QuerySet[User]:
    return User.objects.filter(is_active=True, groups__name=SUPERVISORS).distinct()


class Role(enum.StrEnum):
    CITIZEN = "citizen"  # the author, or whoever proved they may see the item in this session
    OPERATOR = "operator"
    SUPERVISOR = "supervisor"
    SYSTEM = "system"


@dataclass(frozen=True)
class Actor:
    """Who takes a step: a role, and the person when there is one (a visitor without an
    account is known by their browser session's key, `portal.visitors.visitor_key`)."""

    role: Role
    user: User | None = None
    visitor: str = ""

    @property
    def person(self) -> User | None:
        user = self.user
        return user if user is not None and user.is_authenticated else None

    def holds(self, item: Any) -> bool:
        """Whether this person is the operator working on the item (an appeal, a
        conversation: anything with an `operator`)."""
        return self.user is not None and item.operator_id == self.user.pk


STAFF = frozenset({Role.OPERATOR, Role.SUPERVISOR})
SYSTEM = Actor(Role.SYSTEM)


def citizen(user: User | AnonymousUser | None, visitor: str = "") -> Actor:
    """The citizen's side; the caller has already checked they may see the item."""
    return Actor(Role.CITIZEN, user, visitor)  # type: ignore[arg-type]


def staff(user: User | AnonymousUser | None) -> Actor | None:
    """The staff role a person holds, or None for somebody who is not staff."""
    if user_is_supervisor(user):
        return Actor(Role.SUPERVISOR, user)  # type: ignore[arg-type]
    if user_is_operator(user):
        return Actor(Role.OPERATOR, user)  # type: ignore[arg-type]
    return None
