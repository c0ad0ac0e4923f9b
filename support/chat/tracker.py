"""Chats in "Мои заявки": the kind the cabinet's tracker lists beside appeals and applications.

The cabinet's registry (support.cabinet, `tracker_kind_register`) calls `items_for`; this
module only reads. Until the registry is on the main line, `ChatTrackerKind` is not
registered anywhere, and `TrackerItem` below mirrors its interface field for field.
"""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.models import User
from support.chat.models import Conversation, Status

try:  # the cabinet's registry, once it is on the main line
    from support.cabinet.registry import TrackerItem  # type: ignore[import-not-found]
except ImportError:

    @dataclass(frozen=True)
    class TrackerItem:  # type: ignore[no-redef]
        """The cabinet's row (support.cabinet.registry.TrackerItem, same fields)."""

        kind: str
        kind_label: str
        number: str
        title: str
        status: str
        status_label: str
        active: bool
        needs_action: bool
        changed_at: datetime.datetime
        expected_date: datetime.date | None
        overdue: bool
        url: str


class ChatTrackerKind:
    """The citizen's chats: open ones are active; a closed one without a rating asks for it."""

    key = "chat"
    label = gettext_lazy("Чаты")

    def items_for(self, *, user: User) -> list[TrackerItem]:
        if not user.is_authenticated:
            return []
        items = []
        for conversation in Conversation.objects.filter(user=user).order_by("-created_at", "-pk"):
            changed = conversation.closed_at or conversation.taken_at or conversation.created_at
            active = conversation.status != Status.CLOSED
            items.append(
                TrackerItem(
                    kind=self.key,
                    kind_label=str(self.label),
                    number=conversation.number,
                    title=conversation.topic or _("Чат с поддержкой"),
                    status=conversation.status,
                    status_label=str(conversation.get_status_display()),
                    active=active,
                    needs_action=not active and conversation.rating is None,
                    changed_at=changed,
                    expected_date=None,
                    overdue=False,
                    url=(
                        reverse("chat:page")
                        if active
                        else reverse("chat:transcript", kwargs={"pk": conversation.pk})
                    ),
                )
            )
        return items


def chat_items_for(*, user: User) -> list[TrackerItem]:
    return ChatTrackerKind().items_for(user=user)


__all__ = ["ChatTrackerKind", "TrackerItem", "chat_items_for"]
