from django.db import migrations

from portal.roles import CONTENT_EDITORS, grant, model_permissions


def forwards(apps, schema_editor):
    # Regions are set by law, so editors only read them; the rest is theirs.
    grant(
        apps,
        schema_editor,
        group=CONTENT_EDITORS,
        app_label="catalogue",
        codenames=[
            *model_permissions("service", "servicedocument", "servicecategory"),
            *model_permissions("region", actions=("view",)),
        ],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0003_regions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
