"""Reading "Мои заявки": the registered kinds' rows, united in SQL.

The database filters, counts, sorts and pages every kind at once (a UNION of the kinds'
querysets); only one page's rows become `TrackerItem`s. A page takes two queries whatever
the number of items or kinds: the counts, and the page's rows.
"""

import datetime
import enum
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone

from portal.models import User
from support.cabinet.registry import (
    COLUMNS,
    TrackerItem,
    TrackerKind,
    tracker_kind,
    tracker_kinds,
    tracker_row,
)

PAGE_SIZE = 20
HOME_RECENT = 5
# A result the citizen has not opened yet (an answer, a refusal) stays among the active items,
# marked as new, until it is seen, or for this long.
KEEP_UNSEEN = datetime.timedelta(days=14)
# The home shows the first few waiting items and links to the list of all of them.
HOME_NEEDS_ACTION = 10


class State(enum.StrEnum):
    ACTIVE = "active"
    NEEDS_ACTION = "action"  # waiting for the citizen
    FINISHED = "finished"
    ALL = "all"


class Sort(enum.StrEnum):
    CHANGED = "changed"  # the latest change first
    EXPECTED = "expected"  # the nearest expected date first (none last)
    NUMBER = "number"


# Every order ends on columns that tell any two rows apart, so a page never repeats or
# skips a row whatever the database does with ties.
ORDERINGS = {
    Sort.CHANGED: (F("t_changed_at").desc(), F("t_kind").asc(), F("t_number").asc()),
    Sort.EXPECTED: (
        F("t_expected_date").asc(nulls_last=True),
        F("t_number").asc(),
        F("t_kind").asc(),
    ),
    Sort.NUMBER: (F("t_number").asc(), F("t_kind").asc()),
}


@dataclass(frozen=True)
class TrackerQuery:
    state: State = State.ACTIVE
    kind: str = ""
    number: str = ""
    sort: Sort = Sort.CHANGED
    page: int = 1

    @property
    def chosen_count(self) -> int:
        """How many filters differ from the list's defaults (said on the folded filters)."""
        chosen = (self.state != State.ACTIVE, self.kind, self.number, self.sort != Sort.CHANGED)
        return sum(bool(value) for value in chosen)


@dataclass(frozen=True)
class TrackerCounts:
    active: int  # listed in «Активные» (with the results not seen yet)
    finished: int
    needs_action: int
    overdue: int


@dataclass(frozen=True)
class TrackerHome:
    counts: TrackerCounts
    needs_action: list[TrackerItem]
    recent: list[TrackerItem]


def tracker_kind_choices() -> list[tuple[str, str]]:
    return [(kind.key, str(kind.label)) for kind in tracker_kinds()]


def _kind_rows(
    kinds: Iterable[TrackerKind], *, user: User, now: datetime.datetime | None = None
) -> list[QuerySet]:
    # "Today" and "now" once per request: every kind compares its dates with the same ones.
    now = now or timezone.now()
    today = timezone.localdate(now)
    fresh = ExpressionWrapper(
        Q(t_unseen=True, t_changed_at__gte=now - KEEP_UNSEEN), output_field=BooleanField()
    )
    return [kind.rows(user=user, today=today, now=now).annotate(t_fresh=fresh) for kind in kinds]


# «Активные»: what is under way, and what finished lately with a result not seen yet.
LISTED_ACTIVE = Q(t_active=True) | Q(t_fresh=True)


def _items(querysets: list[QuerySet], *, sort: Sort, start: int, stop: int) -> list[TrackerItem]:
    """Rows start..stop of the kinds' querysets united, in the sort's order (one query)."""
    if not querysets or stop <= start:
        return []
    first, *others = (queryset.values(*COLUMNS) for queryset in querysets)
    united = first.union(*others, all=True) if others else first
    rows = united.order_by(*ORDERINGS[sort])[start:stop]
    items = []
    for values in rows:
        row = tracker_row(values)
        kind = tracker_kind(row.kind)
        if kind is not None:
            items.append(kind.item(row))
    return items


def _match(query: "TrackerQuery") -> Q:
    """The query's state and number filters on the common columns (the kind is picked apart)."""
    match = Q()
    if query.state == State.ACTIVE:
        match &= LISTED_ACTIVE
    elif query.state == State.NEEDS_ACTION:
        match &= Q(t_needs_action=True)
    elif query.state == State.FINISHED:
        match &= Q(t_active=False)
    if query.number:
        match &= Q(t_number__contains=query.number)
    return match


def _counts(querysets: list[QuerySet], *, match: Q) -> tuple[TrackerCounts, dict[str, int]]:
    """The four counts over all the citizen's items, and per kind how many `match` (one query)."""
    aggregated = [
        queryset.values("t_kind").annotate(
            n_active=Count("pk", filter=LISTED_ACTIVE),
            n_finished=Count("pk", filter=Q(t_active=False)),
            n_needs_action=Count("pk", filter=Q(t_needs_action=True)),
            n_overdue=Count("pk", filter=Q(t_overdue=True)),
            n_matching=Count("pk", filter=match),
        )
        for queryset in querysets
    ]
    if not aggregated:
        return TrackerCounts(active=0, finished=0, needs_action=0, overdue=0), {}
    first, *others = aggregated
    rows = list(first.union(*others, all=True) if others else first)
    counts = TrackerCounts(
        active=sum(row["n_active"] for row in rows),
        finished=sum(row["n_finished"] for row in rows),
        needs_action=sum(row["n_needs_action"] for row in rows),
        overdue=sum(row["n_overdue"] for row in rows),
    )
    return counts, {row["t_kind"]: row["n_matching"] for row in rows}


class _PageRows:
    """What the paginator pages: the total from the counts, a slice read from the database."""

    def __init__(self, querysets: list[QuerySet], *, sort: Sort, total: int) -> None:
        self.querysets = querysets
        self.sort = sort
        self.total = total

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index: slice) -> list[TrackerItem]:
        start, stop, _ = index.indices(self.total)
        return _items(self.querysets, sort=self.sort, start=start, stop=stop)


def tracker_page(*, user: User, query: TrackerQuery) -> tuple[Page, TrackerCounts]:
    """One page of the citizen's items matching the query, and the counts of all of them."""
    kinds = tracker_kinds()
    everything = _kind_rows(kinds, user=user)
    match = _match(query)
    counts, matching = _counts(everything, match=match)
    # Kinds the filter leaves out or with nothing matching stay out of the page's UNION.
    wanted = [kind.key for kind in kinds if not query.kind or kind.key == query.kind]
    listed = [
        queryset.filter(match)
        for kind, queryset in zip(kinds, everything, strict=True)
        if kind.key in wanted and matching.get(kind.key)
    ]
    total = sum(matching.get(key, 0) for key in wanted)
    paginator = Paginator(_PageRows(listed, sort=query.sort, total=total), PAGE_SIZE)
    return paginator.get_page(query.page), counts


def tracker_home(*, user: User) -> TrackerHome:
    """The cabinet home: the counts, the first items waiting for the citizen (the list has
    them all), the latest changes."""
    everything = _kind_rows(tracker_kinds(), user=user)
    counts, _ = _counts(everything, match=Q())
    waiting = [queryset.filter(t_needs_action=True) for queryset in everything]
    others = [queryset.filter(t_needs_action=False) for queryset in everything]
    return TrackerHome(
        counts=counts,
        needs_action=_items(waiting, sort=Sort.CHANGED, start=0, stop=HOME_NEEDS_ACTION),
        recent=_items(others, sort=Sort.CHANGED, start=0, stop=HOME_RECENT),
    )


def tracker_items_for(*, user: User, now: datetime.datetime | None = None) -> list[TrackerItem]:
    """Every item of every registered kind, the latest change first (for tests and tools)."""
    everything = _kind_rows(tracker_kinds(), user=user, now=now)
    counts, _ = _counts(everything, match=Q())
    return _items(everything, sort=Sort.CHANGED, start=0, stop=counts.active + counts.finished)


def tracker_item_of(*, user: User, kind: str, pk: int) -> TrackerItem | None:
    """One of the citizen's items (any kind), or None when it is not theirs or not there."""
    found = tracker_kind(kind)
    if found is None:
        return None
    (rows,) = _kind_rows([found], user=user)
    values = rows.filter(pk=pk).values(*COLUMNS).first()
    return found.item(tracker_row(values)) if values else None
