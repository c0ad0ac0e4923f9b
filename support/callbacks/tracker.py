"""Call-backs as one kind of "Мои заявки" (support.cabinet's registry)."""

import datetime

from django.db.models import Case, DateField, Q, QuerySet, When
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.channels import ChannelKind
from portal.models import User
from support.cabinet.registry import TrackerItem, TrackerRow, tracker_item, tracker_rows
from support.callbacks.models import Callback, Status, Topic


class CallbackKind:
    key = "callback"
    label = gettext_lazy("Обратные звонки")

    def rows(self, *, user: User, today: datetime.date, now: datetime.datetime) -> QuerySet:
        waiting = Q(status=Status.REQUESTED)
        return tracker_rows(
            Callback.objects.filter(user=user),
            kind=self.key,
            number="number",
            title="topic",  # the words come in `item`
            status="status",
            changed_at="changed_at",
            # The slot's day in Moscow while the call is still to come.
            expected_date=Case(
                When(waiting, then=TruncDate("slot__starts_at")), output_field=DateField()
            ),
            active=waiting,
            needs_action=False,
            # Still waiting after its slot ended: nobody has called yet.
            overdue=waiting & Q(slot__ends_at__lt=now),
        )

    def item(self, row: TrackerRow) -> TrackerItem:
        return tracker_item(
            row,
            kind_label=ChannelKind.CALLBACK.label,
            title=_("Звонок: %(topic)s") % {"topic": Topic(row.title).label},
            status_label=Status(row.status).label,
            url=reverse("callbacks:detail", kwargs={"number": row.number}),
        )
