"""Appeals as a kind of "Мои заявки"."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from support.appeals.models import OPEN_STATUSES, Appeal
from support.appeals.models import Status as AppealStatus
from support.cabinet.registry import TrackerItem


class AppealKind:
    key = "appeal"
    label = _("Обращение")

    def items_for(self, *, user) -> list[TrackerItem]:
        today = timezone.localdate()
        label = str(self.label)
        appeals = Appeal.objects.filter(author=user).only(
            "number", "subject", "status", "updated_at", "due_date", "author_id"
        )
        return [
            TrackerItem(
                kind=self.key,
                kind_label=label,
                number=appeal.number,
                title=appeal.subject,
                status=appeal.status,
                status_label=str(AppealStatus(appeal.status).label),
                active=appeal.status in OPEN_STATUSES,
                needs_action=appeal.status == AppealStatus.CLARIFICATION,
                changed_at=appeal.updated_at,
                expected_date=appeal.due_date if appeal.status in OPEN_STATUSES else None,
                overdue=appeal.is_overdue_on(today),
                url=appeal.get_absolute_url(),
            )
            for appeal in appeals
        ]
