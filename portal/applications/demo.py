"""The demo citizen's service applications in every state, and a demo department key.
Idempotent: what exists is left as it is."""

import datetime

from django.db import transaction
from django.utils import timezone
from rest_framework_api_key.crypto import KeyGenerator, concatenate

from portal.applications.actions import application_register, application_status_change
from portal.applications.lifecycle import Role
from portal.applications.models import Application, Department, DepartmentAPIKey, Status
from portal.catalogue.demo import demo_departments
from portal.catalogue.models import Service
from portal.models import User
from portal.notifications.models import Notification

# A fixed key, so the README and local scripts can use it; for local use only, like the
# demo passwords (revoke it in the admin on any shared server).
DEMO_DEPARTMENT = "mvd"
DEMO_KEY_PREFIX = "demomvd0"
DEMO_KEY = f"{DEMO_KEY_PREFIX}.local-demo-key-do-not-use-in-production"

A, R, X, D, F, C = (
    Status.ACCEPTED,
    Status.IN_REVIEW,
    Status.ACTION_REQUIRED,
    Status.DONE,
    Status.REFUSED,
    Status.CANCELLED,
)

# number, service code, days ago filed, [(status, days after filing, comment or reason)]
APPLICATIONS = [
    ("4100000001", "10020001", 1, []),
    ("4100000002", "10010001", 6, [(R, 1, "Документы переданы на проверку")]),
    (
        "4100000003",
        "10010003",
        9,
        [
            (R, 1, ""),
            (X, 5, "Фотография не соответствует требованиям: загрузите новую в заявлении."),
        ],
    ),
    (
        "4100000004",
        "10050003",
        12,
        [(R, 1, ""), (F, 4, "Сведения о месте жительства не совпадают с данными МВД.")],
    ),
    (
        "4100000005",
        "10050005",
        15,
        [(R, 0, ""), (D, 1, "Справка готова: скачайте её в кабинете ФНС.")],
    ),
    # Overdue: ten working days passed long ago and the department is still reviewing.
    ("4100000006", "10040003", 40, [(R, 2, "Запрошены сведения о доходах")]),
    ("4100000007", "10010005", 20, [(C, 1, "Отменено по просьбе заявителя")]),
    (
        "4100000008",
        "10030002",
        45,
        [(R, 0, ""), (D, 1, "Удостоверение готово, получите его в РЭО.")],
    ),
    ("4100000009", "10050002", 20, [(R, 2, "Декларация принята к камеральной проверке")]),
]


def _department(code: str) -> Department:
    name = demo_departments()[code]["name"]
    return Department.objects.get_or_create(code=code, defaults={"name": name})[0]


def demo_key_ensure() -> bool:
    """The demo department's fixed key; True when it was created now."""
    department = _department(DEMO_DEPARTMENT)
    if DepartmentAPIKey.objects.filter(prefix=DEMO_KEY_PREFIX).exists():
        return False
    hashed = KeyGenerator().hash(DEMO_KEY)
    DepartmentAPIKey.objects.create(
        id=concatenate(DEMO_KEY_PREFIX, hashed),
        prefix=DEMO_KEY_PREFIX,
        hashed_key=hashed,
        name="Демо-система МВД (только для локального запуска)",
        department=department,
    )
    return True


@transaction.atomic
def seed_applications() -> int:
    """Add the demo citizen's applications that are missing; returns how many were added."""
    citizen = User.objects.filter(username="citizen").first()
    if citizen is None:
        return 0
    demo_key_ensure()
    services = {s.code: s for s in Service.objects.filter(code__in=[a[1] for a in APPLICATIONS])}
    existing = set(
        Application.objects.filter(number__in=[a[0] for a in APPLICATIONS]).values_list(
            "number", flat=True
        )
    )
    now = timezone.now()
    added = 0
    for number, code, days_ago, steps in APPLICATIONS:
        service = services.get(code)
        if number in existing or service is None:
            continue
        filed = now - datetime.timedelta(days=days_ago, hours=3)
        application = application_register(
            number=number,
            user=citizen,
            service=service,
            department=_department(_department_code(service)),
            submitted_at=filed,
        )
        for status, after, text in steps:
            application = application_status_change(
                application=application,
                to=status,
                role=Role.STAFF if status == Status.CANCELLED else Role.DEPARTMENT,
                comment=text,
                reason=text,
                at=filed + datetime.timedelta(days=after, hours=1),
            )
        added += 1
    if added:
        # What happened more than a week ago has been read; the rest waits in the inbox.
        week_ago = now - datetime.timedelta(days=7)
        old_numbers = [
            a[0] for a in APPLICATIONS if a[2] - max((s[1] for s in a[3]), default=0) > 7
        ]
        for number in old_numbers:
            Notification.objects.filter(
                user=citizen, title__contains=number, read_at__isnull=True
            ).update(read_at=week_ago)
    return added


def _department_code(service: Service) -> str:
    for code, department in demo_departments().items():
        if department["name"] == service.department:
            return code
    return DEMO_DEPARTMENT
