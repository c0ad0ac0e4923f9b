from django.db import migrations

from portal.roles import OPERATORS, SUPERVISORS, grant, model_permissions


def forwards(apps, schema_editor):
    # Operators answer citizens about their applications, so they read them; supervisors
    # also correct what a department reported (working states and cancelling, through the
    # lifecycle). Departments and their API keys stay with the administrators.
    grant(
        apps,
        schema_editor,
        group=OPERATORS,
        app_label="applications",
        codenames=model_permissions("application", "applicationevent", actions=("view",)),
    )
    grant(
        apps,
        schema_editor,
        group=SUPERVISORS,
        app_label="applications",
        codenames=[
            *model_permissions("application", actions=("view", "change")),
            *model_permissions("applicationevent", "department", actions=("view",)),
        ],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
