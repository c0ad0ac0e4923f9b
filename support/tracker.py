"""The portal's service applications as a kind of "Мои заявки" (support sees the portal;
the portal never sees the cabinet, so support registers this kind for it)."""

import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.applications import access
from portal.applications.models import ACTIVE_STATUSES, Application, Status
from support.cabinet.registry import NumberedKind


class ApplicationKind(NumberedKind):
    key = "application"
    label = _("Заявление на услугу")
    model = Application
    title = "service__title"
    changed_at = "status_changed_at"
    statuses = Status
    url_name = "cabinet:application"

    def states(self, *, today: datetime.date, now: datetime.datetime) -> dict:
        return {
            "expected_date": "expected_date",
            "active": Q(status__in=ACTIVE_STATUSES),
            "needs_action": Q(status=Status.ACTION_REQUIRED),
            "overdue": access.overdue_q(today=today),
        }
