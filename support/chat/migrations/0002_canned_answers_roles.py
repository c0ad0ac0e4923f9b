from django.db import migrations

from portal.roles import CONTENT_EDITORS, SUPERVISORS, grant, model_permissions


def forwards(apps, schema_editor):
    # The operators' canned answers are content: the editors and the supervisors keep them.
    for group in (CONTENT_EDITORS, SUPERVISORS):
        grant(
            apps,
            schema_editor,
            group=group,
            app_label="chat",
            codenames=model_permissions("cannedanswer"),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("chat", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
