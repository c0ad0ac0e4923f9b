"""Demo history for "Когда проще дозвониться": closed appeals spread over eight weeks.

Their registration times follow the contact centre's usual day (busy in the
morning, after lunch and in the evening; quiet 10–12 and 16–18, as the seed
advises), so the chart on the contacts page has a realistic shape. Rebuilt on
every run so that the eight weeks always end today.
"""

import datetime
import random
import uuid

from django.db import transaction
from django.utils import timezone

from support.appeals.models import (
    ActorKind,
    AnswerChannel,
    Appeal,
    AppealEvent,
    EventKind,
    Status,
    Topic,
)

NAMESPACE = uuid.UUID("9d0e4c1a-2f7b-4e55-8a61-0c3b5d7e9f12")
EMAIL = "load-demo@example.org"
WEEKS = 8
SEED = 20261125
# Relative load by Moscow hour (0–23).
HOUR_WEIGHTS = [
    0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.5, 1.5,
    6, 9, 4, 4, 8, 9, 8, 7,
    3.5, 3.5, 7, 6, 4, 3, 2, 1,
]  # fmt: skip
# Appeals per day, Monday first.
DAY_VOLUME = [14, 12, 12, 11, 10, 5, 4]
SUBJECTS = [
    "Не приходит СМС с кодом",
    "Не могу войти в личный кабинет",
    "Как узнать статус заявления",
    "Платёж не отразился в заявлении",
    "Ошибка при загрузке документа",
]


@transaction.atomic
def seed_load_history() -> int:
    topics = list(Topic.objects.order_by("pk"))
    if not topics:
        return 0
    Appeal.objects.filter(email=EMAIL).delete()
    rng = random.Random(SEED)
    moscow = timezone.get_default_timezone()
    today = timezone.localdate()
    consent_at = timezone.now()
    appeals = []
    index = 0
    for days_ago in range(1, WEEKS * 7 + 1):
        day = today - datetime.timedelta(days=days_ago)
        for hour in rng.choices(range(24), weights=HOUR_WEIGHTS, k=DAY_VOLUME[day.weekday()]):
            registered = datetime.datetime.combine(
                day, datetime.time(hour, rng.randrange(60)), tzinfo=moscow
            )
            index += 1
            appeals.append(
                Appeal(
                    # 9xxxxxxx: apart from the demo citizen's numbers, stable between runs.
                    number=f"9{index:07d}",
                    topic=rng.choice(topics),
                    subject=rng.choice(SUBJECTS),
                    description="Демонстрационное обращение для графика нагрузки.",
                    email=EMAIL,
                    answer_channel=AnswerChannel.EMAIL,
                    consent_at=consent_at,
                    consent_version="demo",
                    status=Status.CLOSED,
                    registered_at=registered,
                    due_date=day + datetime.timedelta(days=7),
                    deadline_days=5,
                    answer="Ответ дан.",
                    answered_at=registered + datetime.timedelta(days=1),
                    closed_at=registered + datetime.timedelta(days=2),
                    idempotency_key=uuid.uuid5(NAMESPACE, str(index)),
                )
            )
    created = Appeal.objects.bulk_create(appeals, batch_size=500)
    AppealEvent.objects.bulk_create(
        (
            AppealEvent(
                appeal=appeal,
                step=EventKind.REGISTER,
                actor_kind=ActorKind.CITIZEN,
                created_at=appeal.registered_at,
                to_status=Status.REGISTERED,
            )
            for appeal in created
        ),
        batch_size=500,
    )
    return len(created)
