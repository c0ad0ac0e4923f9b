"""The history speaks the lifecycle's vocabulary: the column is `step` and its values are the
steps of support.appeals.lifecycle (a closing says which of the three closing steps made
it, instead of `details["closed_by"]`)."""

from django.db import migrations, models

# Old event kind -> the step (or history-only name) that replaces it.
RENAMED = {
    "registered": "register",
    "taken": "take",
    "assigned": "assign",
    "clarification_requested": "clarification",
    "clarification_given": "clarify",
    "added": "add",
    "extended": "extend",
    "answered": "answer",
    "review_requested": "review",
    "escalated": "escalate",
}
CLOSED_BY = {"citizen": "resolved", "auto": "auto_close"}


def forwards(apps, schema_editor):
    AppealEvent = apps.get_model("appeals", "AppealEvent")
    for old, new in RENAMED.items():
        AppealEvent.objects.filter(step=old).update(step=new)
    for event in AppealEvent.objects.filter(step="closed"):
        details = dict(event.details or {})
        event.step = CLOSED_BY.get(details.pop("closed_by", ""), "close")
        event.details = details
        event.save(update_fields=["step", "details"])


def backwards(apps, schema_editor):
    AppealEvent = apps.get_model("appeals", "AppealEvent")
    for old, new in RENAMED.items():
        AppealEvent.objects.filter(step=new).update(step=old)
    closers = {"close": "", **{new: old for old, new in CLOSED_BY.items()}}
    for event in AppealEvent.objects.filter(step__in=list(closers)):
        details = dict(event.details or {})
        if closers[event.step]:
            details["closed_by"] = closers[event.step]
        event.step = "closed"
        event.details = details
        event.save(update_fields=["step", "details"])


class Migration(migrations.Migration):
    dependencies = [("appeals", "0007_merge_pending_address_mail_kinds")]

    operations = [
        migrations.RenameField("appealevent", "kind", "step"),
        migrations.AlterField(
            model_name="appealevent",
            name="step",
            field=models.CharField(
                choices=[
                    ("register", "Обращение зарегистрировано"),
                    ("take", "Взято в работу"),
                    ("assign", "Назначен оператор"),
                    ("clarification", "Запрошены уточнения"),
                    ("clarify", "Уточнения получены"),
                    ("add", "Дополнение от заявителя"),
                    ("extend", "Срок продлён"),
                    ("answer", "Дан ответ"),
                    ("review", "Запрошен пересмотр"),
                    ("escalate", "Передано руководителю"),
                    ("close", "Закрыто"),
                    ("resolved", "Закрыто"),
                    ("auto_close", "Закрыто"),
                    ("comment", "Внутренний комментарий"),
                    ("overdue", "Срок ответа истёк"),
                    ("note", "Служебная отметка"),
                    ("undelivered", "Письмо заявителю не доставлено"),
                ],
                max_length=24,
                verbose_name="событие",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
