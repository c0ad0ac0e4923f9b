"""The portal's service applications as a kind of "Мои заявки" (support sees the portal;
the portal never sees the cabinet, so support registers this kind for it)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.applications.models import ACTIVE_STATUSES, Status
from portal.applications.selectors import applications_of
from support.cabinet.registry import TrackerItem


class ApplicationKind:
    key = "application"
    label = _("Заявление на услугу")

    def items_for(self, *, user) -> list[TrackerItem]:
        today = timezone.localdate()
        label = str(self.label)
        return [
            TrackerItem(
                kind=self.key,
                kind_label=label,
                number=app.number,
                title=app.service.title,
                status=app.status,
                status_label=str(Status(app.status).label),
                active=app.status in ACTIVE_STATUSES,
                needs_action=app.status == Status.ACTION_REQUIRED,
                changed_at=app.status_changed_at,
                expected_date=app.expected_date,
                overdue=app.is_overdue_on(today),
                url=app.get_absolute_url(),
            )
            for app in applications_of(user=user)
        ]
