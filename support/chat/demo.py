"""Demo canned answers for operators, written from the seed article. Idempotent."""

from django.db import transaction

from support.chat.models import CannedAnswer

# (title, text). Content, not interface: stored as operators send it, so not through gettext;
# the model has no English field, editors add answers in other languages in the admin.
CANNED = [
    (
        "Приветствие",
        "Здравствуйте! Я оператор контакт-центра. Чем могу помочь?",
    ),
    (
        "Номер обращения",
        "Подскажите, пожалуйста, номер обращения или заявления: так я быстрее найду его "
        "и проверю статус.",
    ),
    (
        "Сроки рассмотрения",
        "Стандартный срок рассмотрения обращения — 5 рабочих дней. Если нужно уточнить "
        "данные, срок может быть продлён до 10 рабочих дней, а если нужно согласование с "
        "другими ведомствами — до 30 дней. О каждом этапе придёт уведомление.",
    ),
    (
        "Где смотреть статус",
        "Текущий статус, дату изменения и ожидаемую дату завершения видно в личном кабинете, "
        "в разделе «Мои заявки».",
    ),
    (
        "Приложите документы",
        "Чтобы ускорить рассмотрение, приложите, пожалуйста, копии документов в электронном "
        "виде прямо в этот чат.",
    ),
    (
        "Технические работы",
        "Возможно, на портале идут технические работы: актуальный статус сервисов — на "
        "странице «Технические работы». Пожалуйста, повторите действие немного позже.",
    ),
    (
        "Завершение",
        "Рад был помочь! Если вопрос решён, я завершу чат, а вы сможете оценить мою работу.",
    ),
]


@transaction.atomic
def seed_canned_answers() -> int:
    """Add the demo answers that are missing; an editor's changes to them are kept."""
    added = 0
    for order, (title, text) in enumerate(CANNED, start=1):
        _, created = CannedAnswer.objects.get_or_create(
            title=title, defaults={"text": text, "order": order * 10}
        )
        added += created
    return added
