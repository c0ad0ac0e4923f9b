"""Chats in "Мои заявки": the kind the cabinet's tracker lists beside appeals and applications.

The cabinet's registry (support.cabinet, `tracker_kind_register`) unions `rows` with the other
kinds' and turns one page of them into items with `item`; this module only reads.
"""

import datetime

from django.db.models import CharField, Q, QuerySet, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.models import User
from support.cabinet.registry import TrackerItem, TrackerRow, tracker_item, tracker_rows
from support.chat.models import Conversation, Status


class ChatTrackerKind:
    """The citizen's chats: open ones are active. A closed chat waits for nothing: its rating
    is a wish, not the citizen's action (the cabinet would flag it «Нужно ваше действие»)."""

    key = "chat"
    label = gettext_lazy("Чаты")

    def rows(self, *, user: User, today: datetime.date, now: datetime.datetime) -> QuerySet:
        conversations = Conversation.objects.all()
        # A visitor has no chats of their own (filtering on AnonymousUser would fail).
        conversations = (
            conversations.filter(user=user) if user.is_authenticated else conversations.none()
        )
        closed = Q(status=Status.CLOSED)
        return tracker_rows(
            conversations,
            kind=self.key,
            # Conversation.number, in SQL.
            number=Concat(Value("Ч-"), Cast("pk", CharField()), output_field=CharField()),
            title="topic",
            status="status",
            changed_at=Coalesce("closed_at", "taken_at", "created_at"),
            expected_date=None,
            active=~closed,
            needs_action=False,
            overdue=False,
        )

    def item(self, row: TrackerRow) -> TrackerItem:
        if row.active:
            url = reverse("chat:page")
        else:
            url = reverse("chat:transcript", kwargs={"pk": row.pk})
        return tracker_item(
            row,
            kind_label=self.label,
            title=row.title or _("Чат с поддержкой"),
            status_label=Status(row.status).label,
            url=url,
        )
