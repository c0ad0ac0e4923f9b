"""What "Мои заявки" lists: every kind of thing a citizen started adds itself here, so the
cabinet never imports what it lists (applications, appeals, chats, call-backs).

A kind answers with a queryset of its rows in the common columns below; the cabinet unions
the kinds' querysets so that the database filters, counts, sorts and pages all of them at
once, and only the rows of one page become `TrackerItem`s (through the kind's `item`).
"""

import datetime
from dataclasses import dataclass
from typing import Protocol

from django.db import models
from django.db.models import Expression, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast
from django.urls import reverse

from support.cabinet.models import TrackerSeen


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
    pk: int = 0  # the kind's own row (0: a kind that does not say)
    fresh: bool = False  # finished lately and not seen since: kept among the active ones

    @property
    def open_url(self) -> str:
        """The list's link: it notes that the citizen has seen the item, then opens it."""
        if not self.pk:
            return self.url
        return reverse("cabinet:open", kwargs={"kind": self.kind, "pk": self.pk})


@dataclass(frozen=True)
class TrackerRow:
    """A row as the database gives it back: the common columns, before the kind's words."""

    kind: str
    pk: int
    number: str
    title: str
    status: str
    changed_at: datetime.datetime
    expected_date: datetime.date | None
    active: bool
    needs_action: bool
    overdue: bool
    fresh: bool


# The common columns, in the order every kind's queryset selects them (a UNION matches
# columns by position). Prefixed: a model may have fields called "number" or "status".
COLUMNS = tuple(f"t_{name}" for name in TrackerRow.__dataclass_fields__)


def tracker_row(values: dict) -> TrackerRow:
    row = {name.removeprefix("t_"): value for name, value in values.items()}
    for flag in ("active", "needs_action", "overdue", "fresh"):
        row[flag] = bool(row[flag])  # SQLite answers 0/1 through a UNION
    return TrackerRow(**row)


def tracker_item(
    row: TrackerRow, *, kind_label: str, status_label: str, url: str, title: str | None = None
) -> TrackerItem:
    """A row in words: what every kind's `item` returns, given the words only it knows."""
    return TrackerItem(
        kind=row.kind,
        kind_label=str(kind_label),
        number=row.number,
        title=row.title if title is None else str(title),
        status=row.status,
        status_label=str(status_label),
        active=row.active,
        needs_action=row.needs_action,
        changed_at=row.changed_at,
        expected_date=row.expected_date,
        overdue=row.overdue,
        url=url,
        pk=row.pk,
        fresh=row.fresh,
    )


def _flag(condition: Q | bool) -> Expression:
    if isinstance(condition, bool):
        return Value(condition, output_field=models.BooleanField())
    return ExpressionWrapper(condition, output_field=models.BooleanField())


def tracker_rows(
    queryset: QuerySet,
    *,
    kind: str,
    number: str | Expression,
    title: str | Expression,
    status: str | Expression,
    changed_at: str | Expression,
    expected_date: str | Expression | None,
    active: Q | bool,
    needs_action: Q | bool,
    overdue: Q | bool,
    results_unseen: bool = False,
) -> QuerySet:
    """A kind's queryset annotated with the common columns (field names or expressions).

    `results_unseen`: the kind's items finish with a result the citizen should read (an
    answer, a refusal); finished and changed since the citizen last opened them, they are
    `t_unseen`, and the cabinet keeps them among the active ones for a while (`t_fresh`,
    annotated by the selectors, which know the time).
    """

    def column(value, field: models.Field) -> Expression:
        if value is None:
            return Cast(Value(None), output_field=field)
        expression = models.F(value) if isinstance(value, str) else value
        return ExpressionWrapper(expression, output_field=field)

    if results_unseen:
        seen_at = Subquery(
            TrackerSeen.objects.filter(kind=kind, object_pk=OuterRef("pk")).values("seen_at")[:1]
        )
        finished = ~active if isinstance(active, Q) else Q(pk__in=[]) if active else Q()
        unseen: Q | bool = finished & (
            Q(t_seen_at__isnull=True) | Q(t_changed_at__gt=models.F("t_seen_at"))
        )
    else:
        seen_at = Cast(Value(None), output_field=models.DateTimeField())
        unseen = False
    return (
        queryset.order_by()
        .annotate(
            t_seen_at=seen_at,
            t_kind=Value(kind, output_field=models.CharField()),
            t_pk=column("pk", models.IntegerField()),
            t_number=column(number, models.CharField()),
            t_title=column(title, models.CharField()),
            t_status=column(status, models.CharField()),
            t_changed_at=column(changed_at, models.DateTimeField()),
            t_expected_date=column(expected_date, models.DateField()),
            t_active=_flag(active),
            t_needs_action=_flag(needs_action),
            t_overdue=_flag(overdue),
        )
        .annotate(t_unseen=_flag(unseen))
    )


class TrackerKind(Protocol):
    """A kind of item: its rows as a queryset (`tracker_rows`), and one row in words."""

    key: str
    label: str

    def rows(self, *, user, today: datetime.date, now: datetime.datetime) -> QuerySet: ...

    def item(self, row: TrackerRow) -> TrackerItem: ...


class NumberedKind:
    """A kind whose items are one model's rows, owned by an account, with a number and a
    page of their own: `rows` and `item` from its declarations; the kind says its states.
    Results the citizen should read are kept among the active ones until seen
    (`results_unseen`, see `tracker_rows`)."""

    key: str
    label: str
    model: type[models.Model]
    owner = "user"  # the field that holds the account
    title: str
    changed_at: str
    statuses: type[models.TextChoices]
    url_name: str  # the item's page, reversed with its number
    results_unseen = True

    def states(self, *, today: datetime.date, now: datetime.datetime) -> dict:
        """The columns `expected_date`, `active`, `needs_action`, `overdue`."""
        raise NotImplementedError

    def rows(self, *, user, today: datetime.date, now: datetime.datetime) -> QuerySet:
        return tracker_rows(
            self.model.objects.filter(**{self.owner: user}),
            kind=self.key,
            number="number",
            title=self.title,
            status="status",
            changed_at=self.changed_at,
            results_unseen=self.results_unseen,
            **self.states(today=today, now=now),
        )

    def item(self, row: TrackerRow) -> TrackerItem:
        return tracker_item(
            row,
            kind_label=self.label,
            status_label=self.statuses(row.status).label,
            url=reverse(self.url_name, kwargs={"number": row.number}),
        )


_kinds: dict[str, TrackerKind] = {}


def tracker_kind_register(kind: TrackerKind) -> None:
    """Add a kind (from an AppConfig.ready()); registering a key again replaces it."""
    _kinds[kind.key] = kind


def tracker_kinds() -> list[TrackerKind]:
    return list(_kinds.values())


def tracker_kind(key: str) -> TrackerKind | None:
    return _kinds.get(key)
