from django.db import migrations

from portal.roles import CONTENT_EDITORS, OPERATORS, SUPERVISORS, grant, model_permissions


def forwards(apps, schema_editor):
    # Editors keep the capacity with the hours; staff see the call-backs in the admin.
    grant(
        apps,
        schema_editor,
        group=CONTENT_EDITORS,
        app_label="callbacks",
        codenames=model_permissions("callbackcapacity"),
    )
    for group in (OPERATORS, SUPERVISORS):
        grant(
            apps,
            schema_editor,
            group=group,
            app_label="callbacks",
            codenames=model_permissions("callback", "callbackslot", actions=("view",)),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("callbacks", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
