"""Reading "Мои заявки": every registered kind's items for one citizen, filtered, searched,
sorted and paged in Python (a citizen has hundreds of items at most; each kind answers in a
constant number of queries)."""

import datetime
import enum
from dataclasses import dataclass

from django.core.paginator import Page, Paginator

from portal.models import User
from support.cabinet.registry import TrackerItem, tracker_kinds

PAGE_SIZE = 20


class State(enum.StrEnum):
    ACTIVE = "active"
    FINISHED = "finished"
    ALL = "all"


class Sort(enum.StrEnum):
    CHANGED = "changed"  # the latest change first
    EXPECTED = "expected"  # the nearest expected date first (none last)
    NUMBER = "number"


@dataclass(frozen=True)
class TrackerQuery:
    state: State = State.ACTIVE
    kind: str = ""
    number: str = ""
    sort: Sort = Sort.CHANGED
    page: int = 1


@dataclass(frozen=True)
class TrackerCounts:
    active: int
    finished: int
    needs_action: int
    overdue: int


def tracker_items_for(*, user: User) -> list[TrackerItem]:
    """Every item of every registered kind, the latest change first."""
    items = [item for kind in tracker_kinds() for item in kind.items_for(user=user)]
    items.sort(key=lambda item: item.changed_at, reverse=True)
    return items


def tracker_kind_choices() -> list[tuple[str, str]]:
    return [(kind.key, str(kind.label)) for kind in tracker_kinds()]


def tracker_counts(*, items: list[TrackerItem]) -> TrackerCounts:
    return TrackerCounts(
        active=sum(item.active for item in items),
        finished=sum(not item.active for item in items),
        needs_action=sum(item.needs_action for item in items),
        overdue=sum(item.overdue for item in items),
    )


def _sort_key(sort: Sort):
    if sort == Sort.EXPECTED:
        return lambda item: (item.expected_date or datetime.date.max, item.number)
    if sort == Sort.NUMBER:
        return lambda item: item.number
    return None


def tracker_page(*, user: User, query: TrackerQuery) -> tuple[Page, TrackerCounts]:
    """One page of the citizen's items matching the query, and the counts of all of them."""
    items = tracker_items_for(user=user)
    counts = tracker_counts(items=items)
    if query.state == State.ACTIVE:
        items = [item for item in items if item.active]
    elif query.state == State.FINISHED:
        items = [item for item in items if not item.active]
    if query.kind:
        items = [item for item in items if item.kind == query.kind]
    if query.number:
        items = [item for item in items if query.number in item.number]
    key = _sort_key(query.sort)
    if key is not None:
        items.sort(key=key)
    paginator = Paginator(items, PAGE_SIZE)
    return paginator.get_page(query.page), counts
