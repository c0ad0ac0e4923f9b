"""Appeals as a kind of "Мои заявки"."""

import datetime

from django.db.models import Case, DateField, F, Q, QuerySet, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from support.appeals import access
from support.appeals.models import OPEN_STATUSES, Appeal
from support.appeals.models import Status as AppealStatus
from support.cabinet.registry import TrackerItem, TrackerRow, tracker_item, tracker_rows


class AppealKind:
    key = "appeal"
    label = _("Обращение")

    def rows(self, *, user, today: datetime.date, now: datetime.datetime) -> QuerySet:
        open_ = Q(status__in=OPEN_STATUSES)
        return tracker_rows(
            Appeal.objects.filter(author=user),
            kind=self.key,
            number="number",
            title="subject",
            status="status",
            changed_at="updated_at",
            # A closed appeal expects nothing any more.
            expected_date=Case(When(open_, then=F("due_date")), output_field=DateField()),
            active=open_,
            needs_action=Q(status=AppealStatus.CLARIFICATION),
            overdue=access.overdue_q(today=today),
        )

    def item(self, row: TrackerRow) -> TrackerItem:
        return tracker_item(
            row,
            kind_label=self.label,
            status_label=AppealStatus(row.status).label,
            url=reverse("appeals:detail", kwargs={"number": row.number}),
        )
