from django.db import migrations

from portal.roles import CONTENT_EDITORS, grant, model_permissions


def forwards(apps, schema_editor):
    # Deadlines are policy kept as data: the editors who keep the rest of the content keep
    # the appeal topics and their deadlines too.
    grant(
        apps,
        schema_editor,
        group=CONTENT_EDITORS,
        app_label="appeals",
        codenames=model_permissions("topic"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0004_idempotency_per_owner"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
