"""Who may do what with appeals: checked by permissions that the groups carry."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from portal.models import User
from portal.roles import OPERATORS, SUPERVISORS

WORK = "appeals.work_appeal"
SUPERVISE = "appeals.supervise_appeal"


def user_is_operator(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_perm(WORK))


def user_is_supervisor(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_perm(SUPERVISE))


def staff_assignable() -> QuerySet[User]:
    """People an appeal can be handed to: active members of either staff group."""
    return (
        User.objects.filter(is_active=True, groups__name__in=[OPERATORS, SUPERVISORS])
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def supervisors() -> QuerySet[User]:
    return User.objects.filter(is_active=True, groups__name=SUPERVISORS).distinct()
