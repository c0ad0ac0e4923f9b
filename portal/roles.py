"""Staff roles as groups, granted permissions by each app's own data migration.

Every app adds its permissions to the groups by name, so no app's migrations need
to know about another's (the dependency direction stays portal ← faq ← support).
"""

from django.contrib.auth.management import create_permissions

CONTENT_EDITORS = "Content editors"
OPERATORS = "Operators"
SUPERVISORS = "Supervisors"


def grant(apps, schema_editor, *, group: str, app_label: str, codenames: list[str]) -> None:
    """Give `group` these permissions of `app_label` (used inside RunPython)."""
    # Permissions are normally made after all migrations; make this app's now.
    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    role, _ = Group.objects.get_or_create(name=group)
    permissions = Permission.objects.filter(
        content_type__app_label=app_label, codename__in=codenames
    )
    missing = set(codenames) - set(permissions.values_list("codename", flat=True))
    if missing:
        raise RuntimeError(f"Unknown permissions for {app_label}: {sorted(missing)}")
    role.permissions.add(*permissions)


def model_permissions(*models: str, actions: tuple[str, ...] = ("add", "change", "delete", "view")):
    return [f"{action}_{model}" for model in models for action in actions]
