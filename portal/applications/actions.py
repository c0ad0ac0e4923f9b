"""Writing applications: what a department reports, and every status change through the
lifecycle table, each one told to the citizen."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.applications import lifecycle
from portal.applications.lifecycle import Role
from portal.applications.models import (
    ActorKind,
    Application,
    Department,
    Status,
)
from portal.catalogue.models import Service
from portal.models import User
from portal.notifications.actions import notification_send
from portal.notifications.models import NotificationEvent
from portal.workcalendar.selectors import working_days_add

ACTOR_KIND = {Role.DEPARTMENT: ActorKind.DEPARTMENT, Role.STAFF: ActorKind.STAFF}


def expected_date_for(*, service: Service, submitted_at: datetime.datetime) -> datetime.date | None:
    """The service's processing time in working days, counted from the Moscow day of filing."""
    if not service.processing_days:
        return None
    return working_days_add(start=timezone.localdate(submitted_at), days=service.processing_days)


def application_register(
    *,
    number: str,
    user: User,
    service: Service,
    department: Department,
    submitted_at: datetime.datetime | None = None,
) -> Application:
    """Record an application a department accepted (status «Принято»)."""
    submitted_at = submitted_at or timezone.now()
    with transaction.atomic():
        application = Application(
            number=number,
            user=user,
            service=service,
            department=department,
            status=Status.ACCEPTED,
            submitted_at=submitted_at,
            status_changed_at=submitted_at,
            expected_date=expected_date_for(service=service, submitted_at=submitted_at),
        )
        application.full_clean()
        application.save()
        lifecycle.LIFECYCLE.register(
            application, now=submitted_at, history={"actor_kind": ActorKind.DEPARTMENT}
        )
    return application


def application_status_change(
    *,
    application: Application,
    to: str,
    role: Role,
    comment: str = "",
    reason: str = "",
    at: datetime.datetime | None = None,
) -> Application:
    """Move the application as the lifecycle allows; the citizen is notified after commit.

    Raises PermissionDenied or ValidationError (nothing written) when the table refuses.
    """
    at = at or timezone.now()
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update()
            .select_related("user", "service")
            .get(pk=application.pk)
        )
        # An unknown target is refused here, before the engine reads the table.
        lifecycle.step_check(to, application=locked, role=role, reason=reason)
        refused = to == Status.REFUSED
        with lifecycle.LIFECYCLE.begin(
            to,
            locked,
            role=role,
            situation=lifecycle.Situation(reason=reason),
            now=at,
            fields=["status_changed_at", "refusal_reason"],
            history={
                "comment": reason.strip() if refused else comment.strip(),
                "actor_kind": ACTOR_KIND[role],
            },
        ):
            locked.status_changed_at = at
            if refused:
                locked.refusal_reason = reason.strip()
        _notify(locked)
    return locked


def _notify(application: Application) -> None:
    label = Status(application.status).label
    needs_action = application.status == Status.ACTION_REQUIRED
    notification_send(
        user=application.user,
        event=(
            NotificationEvent.CLARIFICATION_REQUESTED
            if needs_action
            else NotificationEvent.STATUS_CHANGED
        ),
        title=_("Заявление № %(number)s: %(status)s")
        % {"number": application.number, "status": label},
        body=application.refusal_reason if application.status == Status.REFUSED else "",
        url=application.get_absolute_url(),
    )
