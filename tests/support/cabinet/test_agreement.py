"""The SQL tracker against a plain Python reference: on a seeded mix of every kind, each
state × kind × number search × sort, read page by page, lists exactly the items the
reference lists, in its order, with the same columns and counts."""

import datetime
import itertools
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.applications import access as application_access
from portal.applications.models import ACTIVE_STATUSES, Application
from portal.applications.models import Status as ApplicationStatus
from portal.channels import ChannelKind
from support.appeals import access as appeal_access
from support.appeals.models import Appeal
from support.appeals.models import Status as AppealStatus
from support.cabinet.selectors import (
    HOME_NEEDS_ACTION,
    PAGE_SIZE,
    Sort,
    State,
    TrackerCounts,
    TrackerQuery,
    tracker_home,
    tracker_page,
)
from support.callbacks.models import Callback
from support.callbacks.models import Status as CallbackStatus
from support.chat.models import Conversation
from support.chat.models import Status as ChatStatus
from support.contacts.models import ContactChannel
from tests.portal.application_factories import application
from tests.portal.catalogue_factories import ServiceFactory
from tests.support.appeals.factories import TopicFactory, appeal_make
from tests.support.callbacks.factories import callback_make, channel_make

pytestmark = pytest.mark.django_db

KINDS = ["", "application", "appeal", "chat", "callback"]


def seed(user, other) -> None:
    """About 70 items of four kinds: every status, dates past and future, ties in time."""
    rng = random.Random(20261130)
    now = timezone.now().replace(microsecond=0)
    today = timezone.localdate(now)
    services = [ServiceFactory() for _ in range(3)]
    tie = now - datetime.timedelta(days=3)  # several kinds changed at the same moment
    for i in range(30):
        app = application(
            user=user,
            service=services[i % 3],
            status=list(ApplicationStatus)[i % 6],
            number=f"71{i:08d}",
        )
        Application.objects.filter(pk=app.pk).update(
            status_changed_at=tie
            if i % 7 == 0
            else now - datetime.timedelta(hours=rng.randint(1, 900)),
            expected_date=None
            if i % 5 == 0
            else today + datetime.timedelta(days=rng.randint(-20, 20)),
        )
    topic = TopicFactory()
    for i in range(20):
        appeal = appeal_make(author=user, topic=topic)
        Appeal.objects.filter(pk=appeal.pk).update(
            number=f"31{i:06d}",
            status=list(AppealStatus)[i % 5],
            updated_at=tie if i % 6 == 0 else now - datetime.timedelta(hours=rng.randint(1, 900)),
            due_date=today + datetime.timedelta(days=rng.randint(-10, 10)),
        )
    chat_statuses = [ChatStatus.BOT, ChatStatus.WAITING, ChatStatus.OPERATOR, ChatStatus.CLOSED]
    for i in range(12):
        status = chat_statuses[i % 4]
        started = now - datetime.timedelta(hours=rng.randint(1, 900))
        Conversation.objects.create(
            user=user,
            status=status,
            topic="" if i % 3 else f"Вопрос {i}",
            created_at=tie if i == 4 else started,
            taken_at=started + datetime.timedelta(minutes=5) if i % 4 >= 2 else None,
            closed_at=started + datetime.timedelta(minutes=30)
            if status == ChatStatus.CLOSED
            else None,
            rating=4 if status == ChatStatus.CLOSED and i % 8 == 3 else None,
        )
    channel = ContactChannel.objects.filter(kind=ChannelKind.CALLBACK).first() or channel_make()
    for i in range(8):
        starts = now + datetime.timedelta(days=rng.choice([-2, -1, 1, 2, 3]), hours=i)
        callback = callback_make(
            user=user,
            starts_at=starts,
            status=list(CallbackStatus)[i % 4],
            number=f"55{i:06d}",
            channel=channel,
        )
        Callback.objects.filter(pk=callback.pk).update(
            changed_at=tie if i == 2 else now - datetime.timedelta(hours=rng.randint(1, 900))
        )
    # Another citizen's items are never listed or counted.
    application(user=other, number="7999999999")
    Conversation.objects.create(user=other)


def reference(user, now: datetime.datetime) -> list[dict]:
    """Every item of the citizen, computed row by row from the models' own rules."""
    today = timezone.localdate(now)
    rows = []
    for app in Application.objects.filter(user=user):
        rows.append(
            dict(
                kind="application",
                number=app.number,
                active=app.status in ACTIVE_STATUSES,
                needs_action=app.status == ApplicationStatus.ACTION_REQUIRED,
                changed_at=app.status_changed_at,
                expected_date=app.expected_date,
                overdue=application_access.overdue(app, today=today),
            )
        )
    for appeal in Appeal.objects.filter(author=user):
        rows.append(
            dict(
                kind="appeal",
                number=appeal.number,
                active=appeal.is_open,
                needs_action=appeal.status == AppealStatus.CLARIFICATION,
                changed_at=appeal.updated_at,
                expected_date=appeal.due_date if appeal.is_open else None,
                overdue=appeal_access.overdue(appeal, today=today),
            )
        )
    for chat in Conversation.objects.filter(user=user):
        closed = chat.status == ChatStatus.CLOSED
        rows.append(
            dict(
                kind="chat",
                number=chat.number,
                active=not closed,
                needs_action=closed and chat.rating is None,
                changed_at=chat.closed_at or chat.taken_at or chat.created_at,
                expected_date=None,
                overdue=False,
            )
        )
    for callback in Callback.objects.filter(user=user).select_related("slot"):
        waiting = callback.status == CallbackStatus.REQUESTED
        rows.append(
            dict(
                kind="callback",
                number=callback.number,
                active=waiting,
                needs_action=False,
                changed_at=callback.changed_at,
                expected_date=timezone.localdate(callback.slot.starts_at) if waiting else None,
                overdue=waiting and callback.slot.ends_at < now,
            )
        )
    return rows


def reference_list(rows: list[dict], query: TrackerQuery) -> list[dict]:
    if query.state == State.ACTIVE:
        rows = [row for row in rows if row["active"]]
    elif query.state == State.NEEDS_ACTION:
        rows = [row for row in rows if row["needs_action"]]
    elif query.state == State.FINISHED:
        rows = [row for row in rows if not row["active"]]
    if query.kind:
        rows = [row for row in rows if row["kind"] == query.kind]
    if query.number:
        rows = [row for row in rows if query.number in row["number"]]
    if query.sort == Sort.CHANGED:
        rows = sorted(rows, key=lambda row: (row["kind"], row["number"]))
        return sorted(rows, key=lambda row: row["changed_at"], reverse=True)
    if query.sort == Sort.EXPECTED:
        return sorted(
            rows,
            key=lambda row: (row["expected_date"] or datetime.date.max, row["number"], row["kind"]),
        )
    return sorted(rows, key=lambda row: (row["number"], row["kind"]))


def columns(item) -> dict:
    return {
        name: getattr(item, name)
        for name in (
            "kind",
            "number",
            "active",
            "needs_action",
            "changed_at",
            "expected_date",
            "overdue",
        )
    }


def test_every_filter_kind_sort_and_page_agrees_with_the_reference(citizen, other_citizen):
    seed(citizen, other_citizen)
    rows = reference(citizen, timezone.now())
    assert {row["kind"] for row in rows} == {"application", "appeal", "chat", "callback"}
    expected_counts = TrackerCounts(
        active=sum(row["active"] for row in rows),
        finished=sum(not row["active"] for row in rows),
        needs_action=sum(row["needs_action"] for row in rows),
        overdue=sum(row["overdue"] for row in rows),
    )
    assert expected_counts.overdue and expected_counts.needs_action  # the mix has both
    checked = 0
    for state, kind, number, sort in itertools.product(
        list(State), KINDS, ["", "1", "0000", "Ч", "98765"], list(Sort)
    ):
        query = TrackerQuery(state=state, kind=kind, number=number, sort=sort)
        expected = reference_list(rows, query)
        listed = []
        page_number = 1
        while True:
            page, counts = tracker_page(
                user=citizen,
                query=TrackerQuery(
                    state=state, kind=kind, number=number, sort=sort, page=page_number
                ),
            )
            assert counts == expected_counts
            assert page.paginator.count == len(expected), query
            assert len(page.object_list) <= PAGE_SIZE
            listed += [columns(item) for item in page.object_list]
            if not page.has_next():
                break
            page_number += 1
        assert listed == expected, query
        checked += bool(expected)
    assert checked > 100  # most combinations list something


def test_a_page_past_the_end_is_the_last_page(citizen, other_citizen):
    seed(citizen, other_citizen)
    page, _ = tracker_page(user=citizen, query=TrackerQuery(state=State.ALL, page=999))
    assert page.number == page.paginator.num_pages > 1
    assert len(page.object_list) == page.paginator.count - PAGE_SIZE * (page.number - 1)


def test_home_lists_what_waits_for_the_citizen_and_the_latest_changes(citizen, other_citizen):
    seed(citizen, other_citizen)
    rows = reference_list(reference(citizen, timezone.now()), TrackerQuery(state=State.ALL))
    home = tracker_home(user=citizen)
    assert [columns(item) for item in home.needs_action] == [
        row for row in rows if row["needs_action"]
    ][:HOME_NEEDS_ACTION]
    assert [columns(item) for item in home.recent] == [
        row for row in rows if not row["needs_action"]
    ][:5]


def test_a_citizen_with_nothing_has_an_empty_page(citizen):
    page, counts = tracker_page(user=citizen, query=TrackerQuery(state=State.ALL))
    assert list(page.object_list) == [] and page.paginator.count == 0
    assert counts == TrackerCounts(active=0, finished=0, needs_action=0, overdue=0)


def test_the_tracker_reads_in_two_queries_and_the_home_in_three(
    citizen, other_citizen, django_assert_num_queries
):
    seed(citizen, other_citizen)
    with django_assert_num_queries(2):  # the counts, the page's rows
        tracker_page(user=citizen, query=TrackerQuery(state=State.ALL, sort=Sort.EXPECTED, page=2))
    with django_assert_num_queries(3):  # the counts, what waits, the latest
        tracker_home(user=citizen)


@pytest.mark.parametrize("url", ["/my/applications/?state=all&page=2", "/my/"])
def test_the_pages_queries_do_not_grow_with_the_items(client, citizen, other_citizen, url):
    client.force_login(citizen)
    channel_make()  # the page's footer reads the channels: the same ones in both runs
    application(user=citizen, status=ApplicationStatus.ACTION_REQUIRED)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    seed(citizen, other_citizen)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
