"""Who may do what with appeals: checked by permissions that the groups carry."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from portal.models import User
from portal.roles import CONTENT_EDITORS, OPERATORS, SUPERVISORS

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


def roles_ensure() -> None:
    """Give the staff groups their appeals permissions (the data migration does the same).

    The demo seed calls it, so the demo accounts work on a database that was flushed
    after migrating (as transactional tests do).
    """
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    from portal.roles import model_permissions

    create_permissions(apps.get_app_config("appeals"), verbosity=0)
    operator = [
        "work_appeal",
        *model_permissions("appeal", actions=("view", "change")),
        *model_permissions("topic", "attachment", "appealevent", actions=("view",)),
    ]
    roles = {
        OPERATORS: operator,
        SUPERVISORS: [*operator, "supervise_appeal", *model_permissions("topic")],
        CONTENT_EDITORS: model_permissions("topic"),
    }
    for name, codenames in roles.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="appeals", codename__in=codenames)
        )
