from django.db import migrations

from portal.roles import OPERATORS, SUPERVISORS, grant, model_permissions

OPERATOR_CODENAMES = [
    "work_appeal",
    *model_permissions("appeal", actions=("view", "change")),
    *model_permissions("topic", "attachment", "appealevent", actions=("view",)),
]


def forwards(apps, schema_editor):
    grant(apps, schema_editor, group=OPERATORS, app_label="appeals", codenames=OPERATOR_CODENAMES)
    grant(
        apps,
        schema_editor,
        group=SUPERVISORS,
        app_label="appeals",
        codenames=[*OPERATOR_CODENAMES, "supervise_appeal", *model_permissions("topic")],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
