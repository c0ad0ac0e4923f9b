import datetime
import itertools

from django.utils import timezone

from portal.applications.actions import application_register
from portal.applications.models import Application, Department, Status
from tests.portal.catalogue_factories import ServiceFactory

_numbers = itertools.count(1)


def department(code: str = "mvd", name: str = "МВД России") -> Department:
    return Department.objects.get_or_create(code=code, defaults={"name": name})[0]


def application(
    *,
    user,
    status: str = Status.ACCEPTED,
    dept: Department | None = None,
    service=None,
    submitted_at: datetime.datetime | None = None,
    number: str | None = None,
) -> Application:
    """An application reported by its department, set straight to `status` (no history)."""
    app = application_register(
        number=number or f"{7000000000 + next(_numbers)}",
        user=user,
        service=service or ServiceFactory(),
        department=dept or department(),
        submitted_at=submitted_at or timezone.now(),
    )
    if status != Status.ACCEPTED:
        Application.objects.filter(pk=app.pk).update(
            status=status, refusal_reason="причина" if status == Status.REFUSED else ""
        )
        app.refresh_from_db()
    return app
