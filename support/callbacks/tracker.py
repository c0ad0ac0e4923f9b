"""Call-backs as one kind of "Мои заявки" (support.cabinet's registry)."""

import datetime

from django.db.models import Case, DateField, Q, When
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.channels import ChannelKind
from support.cabinet.registry import NumberedKind, TrackerItem, TrackerRow, tracker_item
from support.callbacks.models import Callback, Status, Topic


class CallbackKind(NumberedKind):
    key = "callback"
    label = gettext_lazy("Обратные звонки")
    model = Callback
    title = "topic"  # the words come in `item`
    changed_at = "changed_at"
    statuses = Status
    url_name = "callbacks:detail"
    results_unseen = False

    def states(self, *, today: datetime.date, now: datetime.datetime) -> dict:
        waiting = Q(status=Status.REQUESTED)
        return {
            # The slot's day in Moscow while the call is still to come.
            "expected_date": Case(
                When(waiting, then=TruncDate("slot__starts_at")), output_field=DateField()
            ),
            "active": waiting,
            "needs_action": False,
            # Still waiting after its slot ended: nobody has called yet.
            "overdue": waiting & Q(slot__ends_at__lt=now),
        }

    def item(self, row: TrackerRow) -> TrackerItem:
        return tracker_item(
            row,
            kind_label=ChannelKind.CALLBACK.label,
            title=_("Звонок: %(topic)s") % {"topic": Topic(row.title).label},
            status_label=self.statuses(row.status).label,
            url=reverse(self.url_name, kwargs={"number": row.number}),
        )
