from django.db import migrations

from portal.roles import CONTENT_EDITORS, grant, model_permissions


def forwards(apps, schema_editor):
    grant(
        apps,
        schema_editor,
        group=CONTENT_EDITORS,
        app_label="contacts",
        codenames=model_permissions(
            "specialhours", "voicemenuitem", "regionaloffice", "managementcontact"
        ),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0004_offices_voice_menu_special_hours"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
