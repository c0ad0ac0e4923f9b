"""Call-backs as one kind of "Мои заявки" (support.cabinet's registry)."""

from django.utils.translation import gettext_lazy as _

from portal.models import User
from support.callbacks.selectors import callback_tracker_rows


class CallbackKind:
    key = "callback"
    label = _("Обратные звонки")

    def items_for(self, *, user: User) -> list:
        from support.cabinet.registry import TrackerItem

        return [TrackerItem(**row) for row in callback_tracker_rows(user=user)]
