"""The service applications' rules of state, each in its SQL form beside its Python form.

A list (the cabinet's «Мои заявки») filters with the `Q`; a page or the API asks the
function about the one application it holds.
"""

import datetime

from django.db.models import Q

from portal.applications.models import ACTIVE_STATUSES, Application, Status

# --- Overdue: still active, not waiting for the citizen, past the expected date -----------


def overdue_q(*, today: datetime.date) -> Q:
    return (
        Q(status__in=ACTIVE_STATUSES)
        & ~Q(status=Status.ACTION_REQUIRED)
        & Q(expected_date__isnull=False, expected_date__lt=today)
    )


def overdue(application: Application, *, today: datetime.date) -> bool:
    return (
        application.status in ACTIVE_STATUSES
        and application.status != Status.ACTION_REQUIRED
        and application.expected_date is not None
        and application.expected_date < today
    )
