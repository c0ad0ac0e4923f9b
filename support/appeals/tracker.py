"""Appeals as a kind of "Мои заявки"."""

import datetime

from django.db.models import Case, DateField, F, Q, When
from django.utils.translation import gettext_lazy as _

from support.appeals import access
from support.appeals.models import OPEN_STATUSES, Appeal, Status
from support.cabinet.registry import NumberedKind


class AppealKind(NumberedKind):
    key = "appeal"
    label = _("Обращение")
    model = Appeal
    owner = "author"
    title = "subject"
    changed_at = "updated_at"
    statuses = Status
    url_name = "appeals:detail"

    def states(self, *, today: datetime.date, now: datetime.datetime) -> dict:
        open_ = Q(status__in=OPEN_STATUSES)
        return {
            # A closed appeal expects nothing any more.
            "expected_date": Case(When(open_, then=F("due_date")), output_field=DateField()),
            "active": open_,
            "needs_action": Q(status=Status.CLARIFICATION),
            "overdue": access.overdue_q(today=today),
        }
