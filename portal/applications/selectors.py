"""Reading applications: a citizen's own, each one with its history."""

from django.db.models import Prefetch, QuerySet

from portal.applications.models import Application, ApplicationEvent
from portal.models import User


def applications_of(*, user: User) -> QuerySet[Application]:
    """The citizen's applications with what a list shows (one query)."""
    return Application.objects.filter(user=user).select_related("service", "department")


def application_of(*, user: User, number: str) -> Application | None:
    """The citizen's application with its history, or None (someone else's is None too)."""
    return (
        applications_of(user=user)
        .prefetch_related(
            Prefetch("events", queryset=ApplicationEvent.objects.order_by("at", "pk"))
        )
        .filter(number=number)
        .first()
    )


def application_of_department(*, department_id: int, number: str) -> Application | None:
    """The application with this number when that department handles it, else None."""
    return (
        Application.objects.select_related("service", "department")
        .filter(number=number, department_id=department_id)
        .first()
    )
