"""The staff groups' appeals permissions (the roles themselves: `support.centre.people`)."""

from portal.roles import CONTENT_EDITORS, OPERATORS, SUPERVISORS


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
