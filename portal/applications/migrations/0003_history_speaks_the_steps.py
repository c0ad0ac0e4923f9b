"""The history's columns and names shared with every lifecycle (portal.history.StepRecord):
each row names its step, the status it led to as the table names it, `register` for the
row written when the department reported the application."""

from django.db import migrations, models


def forwards(apps, schema_editor):
    ApplicationEvent = apps.get_model("applications", "ApplicationEvent")
    ApplicationEvent.objects.exclude(from_status="").update(step=models.F("to_status"))


class Migration(migrations.Migration):
    dependencies = [("applications", "0002_staff_roles")]

    operations = [
        migrations.AddField(
            model_name="applicationevent",
            name="step",
            field=models.CharField(default="register", max_length=24, verbose_name="шаг"),
            preserve_default=False,
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
