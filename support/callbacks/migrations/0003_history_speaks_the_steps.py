"""The history's columns and names shared with every lifecycle (portal.history.StepRecord):
`status` is `to_status`, each row gains `from_status`, and the booking's row is `register`."""

from django.db import migrations, models


def forwards(apps, schema_editor):
    CallbackEvent = apps.get_model("callbacks", "CallbackEvent")
    CallbackEvent.objects.filter(step="book").update(step="register")
    # Where a step started is where the row before it ended.
    before: dict[int, str] = {}
    for event in CallbackEvent.objects.order_by("callback_id", "at", "pk").iterator():
        from_status = before.get(event.callback_id, "")
        if from_status:
            CallbackEvent.objects.filter(pk=event.pk).update(from_status=from_status)
        before[event.callback_id] = event.to_status


def backwards(apps, schema_editor):
    CallbackEvent = apps.get_model("callbacks", "CallbackEvent")
    CallbackEvent.objects.filter(step="register").update(step="book")


class Migration(migrations.Migration):
    dependencies = [("callbacks", "0002_roles")]

    operations = [
        migrations.RenameField("callbackevent", "status", "to_status"),
        migrations.AddField(
            model_name="callbackevent",
            name="from_status",
            field=models.CharField(
                blank=True,
                choices=[
                    ("requested", "Ожидает звонка"),
                    ("done", "Звонок состоялся"),
                    ("no_answer", "Не дозвонились"),
                    ("cancelled", "Отменён"),
                ],
                max_length=12,
                verbose_name="был статус",
            ),
        ),
        migrations.AlterField(
            model_name="callbackevent",
            name="step",
            field=models.CharField(max_length=24, verbose_name="шаг"),
        ),
        migrations.RunPython(forwards, backwards),
    ]
