from django.db import migrations

from portal.roles import OPERATORS, SUPERVISORS, grant

TOPIC = {
    "slug": "email",
    "name": "Письмо на адрес поддержки",
    "description": "Обращения, пришедшие письмом на электронную почту поддержки.",
    "deadline_days": 5,
    "clarification_days": 10,
    "interagency_days": 30,
    "order": 1000,
    "is_active": True,
}


def forwards(apps, schema_editor):
    # Letters become appeals of their own topic; editors keep its deadlines like any other.
    Topic = apps.get_model("appeals", "Topic")
    Topic.objects.get_or_create(slug=TOPIC["slug"], defaults=TOPIC)
    # Staff who answer appeals see the letters, and send an unreadable one through again.
    for group in (OPERATORS, SUPERVISORS):
        grant(
            apps,
            schema_editor,
            group=group,
            app_label="mail",
            codenames=["view_inboundletter", "change_inboundletter", "view_outboundletter"],
        )


class Migration(migrations.Migration):
    dependencies = [
        ("mail", "0001_letters"),
        ("appeals", "0006_event_kinds_added_note_undelivered"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
