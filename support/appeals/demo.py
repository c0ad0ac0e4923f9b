"""Demo topics (with their deadline policy) and the demo citizen's appeals. Idempotent."""

import datetime
import uuid

from django.db import transaction
from django.utils import timezone

from portal.models import User
from support.appeals import actions
from support.appeals.models import AnswerChannel, Appeal, Topic
from support.appeals.roles import roles_ensure

TOPICS = [
    # slug, name, description, days, clarification, interagency
    ("account", "Вход и учётная запись", "Пароль, подтверждение личности, СМС с кодом", 5, 10, 30),
    ("applications", "Подача заявлений", "Как заполнить и отправить заявление", 5, 10, 30),
    ("status", "Статус заявления", "Заявление долго рассматривают или отклонили", 5, 10, 30),
    ("payments", "Оплата и госпошлины", "Платёж не прошёл или не отразился", 5, 10, 30),
    ("technical", "Технические сбои", "Сайт или приложение работают с ошибкой", 5, 10, 30),
    ("complaint", "Жалоба на работу ведомства", "Нужен ответ ведомства, срок дольше", 10, 15, 30),
    ("other", "Другое", "", 5, 10, 30),
]

NAMESPACE = uuid.UUID("5b7c3c8e-6f5a-4a8e-9d51-3c1a2b7e0a4d")

# key, topic, days ago, subject, description, steps
APPEALS = [
    (
        "registered",
        "account",
        0,
        "Не приходит СМС с кодом подтверждения",
        "Третий день не приходит СМС при входе. Телефон в профиле указан верно.",
        [],
    ),
    (
        "in-progress",
        "status",
        2,
        "Заявление на загранпаспорт долго рассматривают",
        "Подала заявление месяц назад, статус не меняется.",
        ["take"],
    ),
    (
        "clarification",
        "payments",
        3,
        "Оплатила госпошлину, но платёж не отразился",
        "Оплатила пошлину картой, деньги списаны, а в заявлении «не оплачено».",
        ["take", "clarification"],
    ),
    (
        "answered",
        "applications",
        6,
        "Как приложить скан паспорта к заявлению",
        "Кнопка «Добавить файл» не реагирует в браузере на телефоне.",
        ["take", "answer"],
    ),
    (
        "closed",
        "technical",
        20,
        "Ошибка 500 при открытии личного кабинета",
        "Вчера вечером личный кабинет не открывался, была ошибка 500.",
        ["take", "answer", "resolved"],
    ),
    (
        "overdue",
        "complaint",
        25,
        "Ведомство не отвечает на запрос справки",
        "Запросила справку о составе семьи, ответа нет больше месяца.",
        [],
    ),
]

STEP_TEXT = {
    "clarification": "Пришлите, пожалуйста, номер платёжного поручения или квитанцию об оплате.",
    "answer": "Обновите приложение до последней версии или откройте форму в браузере на "
    "компьютере: там файл прикладывается кнопкой «Добавить файл».",
}


def seed_topics() -> list[Topic]:
    topics = []
    for order, (slug, name, description, days, clarification, interagency) in enumerate(TOPICS):
        topic, _ = Topic.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "description": description,
                "deadline_days": days,
                "clarification_days": clarification,
                "interagency_days": interagency,
                "order": order * 10,
                "is_active": True,
            },
        )
        topics.append(topic)
    return topics


def seed_appeals() -> int:
    """Topics and a few appeals of the demo citizen in every status, with history."""
    seed_topics()
    roles_ensure()
    citizen = User.objects.filter(username="citizen").first()
    operator = User.objects.filter(username="operator").first()
    if citizen is None or operator is None:
        return 0
    now = timezone.now()
    created = 0
    for key, topic_slug, days_ago, subject, description, steps in APPEALS:
        idempotency_key = uuid.uuid5(NAMESPACE, key)
        if Appeal.objects.filter(idempotency_key=idempotency_key).exists():
            continue
        with transaction.atomic():
            appeal = actions.appeal_register(
                author=citizen,
                topic=Topic.objects.get(slug=topic_slug),
                subject=subject,
                description=description,
                phone=citizen.phone,
                email=citizen.email,
                answer_channel=AnswerChannel.EMAIL,
                consent=True,
                idempotency_key=idempotency_key,
                now=now - datetime.timedelta(days=days_ago, hours=3),
            )
            for step in steps:
                if step == "take":
                    actions.appeal_take(appeal=appeal, actor=operator)
                elif step == "clarification":
                    actions.appeal_request_clarification(
                        appeal=appeal, actor=operator, text=STEP_TEXT[step]
                    )
                elif step == "answer":
                    actions.appeal_answer(appeal=appeal, actor=operator, text=STEP_TEXT[step])
                elif step == "resolved":
                    actions.appeal_confirm_resolved(appeal=appeal, actor=citizen)
            # The history happened over the days since registration, not all at once.
            events = list(appeal.events.order_by("pk"))
            for index, event in enumerate(events[1:], start=1):
                event.created_at = appeal.registered_at + datetime.timedelta(hours=5 * index)
                event.save(update_fields=["created_at"])
            Appeal.objects.filter(pk=appeal.pk, answered_at__isnull=False).update(
                answered_at=appeal.registered_at + datetime.timedelta(hours=5 * len(events))
            )
        created += 1
    return created
