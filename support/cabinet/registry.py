"""What "Мои заявки" lists: every kind of thing a citizen started adds itself here, so the
cabinet never imports what it lists (applications, appeals, chats, call-backs)."""

import datetime
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class TrackerItem:
    """One row of "Мои заявки", whatever its kind."""

    kind: str  # registry key: "application", "appeal", "chat", "callback"
    kind_label: str  # "Заявление на услугу", "Обращение", …
    number: str
    title: str
    status: str  # the kind's status code
    status_label: str
    active: bool  # not finished
    needs_action: bool  # waiting for the citizen
    changed_at: datetime.datetime
    expected_date: datetime.date | None
    overdue: bool
    url: str


class TrackerKind(Protocol):
    """A kind of item; `items_for` answers in a constant number of queries."""

    key: str
    label: str

    def items_for(self, *, user) -> list[TrackerItem]: ...


_kinds: dict[str, TrackerKind] = {}


def tracker_kind_register(kind: TrackerKind) -> None:
    """Add a kind (from an AppConfig.ready()); registering a key again replaces it."""
    _kinds[kind.key] = kind


def tracker_kinds() -> list[TrackerKind]:
    return list(_kinds.values())
