"""The portal's service applications as a kind of "Мои заявки" (support sees the portal;
the portal never sees the cabinet, so support registers this kind for it)."""

import datetime

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.applications import access
from portal.applications.models import ACTIVE_STATUSES, Application, Status
from support.cabinet.registry import TrackerItem, TrackerRow, tracker_item, tracker_rows


class ApplicationKind:
    key = "application"
    label = _("Заявление на услугу")

    def rows(self, *, user, today: datetime.date, now: datetime.datetime) -> QuerySet:
        active = Q(status__in=ACTIVE_STATUSES)
        return tracker_rows(
            Application.objects.filter(user=user),
            kind=self.key,
            number="number",
            title="service__title",
            status="status",
            changed_at="status_changed_at",
            expected_date="expected_date",
            active=active,
            needs_action=Q(status=Status.ACTION_REQUIRED),
            overdue=access.overdue_q(today=today),
        )

    def item(self, row: TrackerRow) -> TrackerItem:
        return tracker_item(
            row,
            kind_label=self.label,
            status_label=Status(row.status).label,
            url=reverse("cabinet:application", kwargs={"number": row.number}),
        )
