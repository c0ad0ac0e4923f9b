"""The engine's transition, end to end, on real rows: check, the conditional status change,
the history row, the doorbell after the commit. Each kind's own tests walk its table; this
file pins what the engine promises every kind, refusals as carefully as successes.

A toy table over service applications (portal's own model), so the engine is tested apart
from any kind's rules."""

import datetime
import logging
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from portal import lifecycle as engine
from portal.applications import lifecycle as application_lifecycle
from portal.applications.models import Application, ApplicationEvent, Status
from portal.lifecycle import Condition, Rule
from tests.concurrency import at_once
from tests.portal.application_factories import application
from tests.portal.factories import UserFactory
from tests.portal.lifecycle_toys import NOW, Actor, Role, Step

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Situation:
    item: Application
    actor: Actor
    now: datetime.datetime


CLERK = frozenset({Role.CLERK})
NOT_REFUSED = Condition(
    lambda s: not s.item.refusal_reason, "a reason was given", "reason", about_person=False
)

TABLE = {
    Step.REVIEW: Rule(CLERK, frozenset({Status.ACCEPTED}), to=Status.IN_REVIEW),
    Step.FINISH: Rule(CLERK, frozenset({Status.IN_REVIEW}), (NOT_REFUSED,), to=Status.DONE),
    Step.NOTE: Rule(CLERK, frozenset(Status)),
}

rung: list[engine.Transition] = []


def lifecycle_with(ring) -> engine.Lifecycle:
    # The applications' own history writer: the engine is tested writing a real row.
    return engine.Lifecycle(
        TABLE,
        not_allowed="not allowed",
        wrong_status=engine.wrong_status_message("wrong status"),
        situation=Situation,
        record=application_lifecycle.record,
        ring=ring,
    )


LIFECYCLE = lifecycle_with(rung.append)


@pytest.fixture(autouse=True)
def no_rings():
    """Each test starts with no rings heard (the list is this module's own)."""
    rung.clear()


@pytest.fixture
def item(db):
    return application(user=UserFactory())


def _stored(item: Application) -> tuple:
    row = Application.objects.get(pk=item.pk)
    return row.status, row.status_changed_at, row.refusal_reason


def test_a_step_changes_the_status_and_the_named_fields_writes_history_rings_after_commit(
    item, django_capture_on_commit_callbacks
):
    events_before = ApplicationEvent.objects.count()
    with django_capture_on_commit_callbacks() as pending:
        with LIFECYCLE.begin(
            Step.REVIEW,
            item,
            actor=Actor(Role.CLERK),
            now=NOW,
            fields=["status_changed_at"],
            history={"comment": "взято"},
        ) as moving:
            item.status_changed_at = NOW
            item.refusal_reason = "not named, not saved"
        # Written, but the doorbell waits for the commit.
        assert rung == []
    assert _stored(item) == (Status.IN_REVIEW, NOW, "")
    assert item.status == Status.IN_REVIEW
    assert (moving.before, moving.after, moving.moved) == (Status.ACCEPTED, Status.IN_REVIEW, True)
    event = moving.record
    assert ApplicationEvent.objects.count() == events_before + 1
    assert (event.step, event.from_status, event.to_status, event.comment, event.at) == (
        "review",
        Status.ACCEPTED,
        Status.IN_REVIEW,
        "взято",
        NOW,
    )
    assert len(pending) == 1
    pending[0]()
    assert rung == [moving]


def test_a_step_that_keeps_the_status_still_writes_its_row(item):
    moving = LIFECYCLE.transition(Step.NOTE, item, actor=Actor(Role.CLERK))
    assert not moving.moved
    assert _stored(item)[0] == Status.ACCEPTED
    assert (moving.record.step, moving.record.from_status, moving.record.to_status) == (
        "note",
        Status.ACCEPTED,
        Status.ACCEPTED,
    )


def _nothing_written(item: Application, before: tuple, events: int, pending: list) -> None:
    assert _stored(item) == before
    assert ApplicationEvent.objects.count() == events
    assert pending == [] and rung == []


@pytest.mark.parametrize(
    ("step", "role", "status", "refusal", "message"),
    [
        (Step.REVIEW, Role.GUEST, Status.ACCEPTED, PermissionDenied, "not allowed"),
        (Step.FINISH, Role.CLERK, Status.ACCEPTED, ValidationError, "wrong status"),
        (Step.REVIEW, Role.CLERK, Status.DONE, ValidationError, "wrong status"),
    ],
)
def test_a_refused_step_writes_nothing_and_never_rings(
    item, django_capture_on_commit_callbacks, step, role, status, refusal, message
):
    Application.objects.filter(pk=item.pk).update(status=status)
    item.refresh_from_db()
    before, events = _stored(item), ApplicationEvent.objects.count()
    body_ran = []
    with django_capture_on_commit_callbacks() as pending:
        with pytest.raises(refusal) as raised:
            with LIFECYCLE.begin(step, item, actor=Actor(role), fields=["status_changed_at"]):
                body_ran.append(True)
    assert engine.messages_of(raised.value, fallback="-") == [message]
    assert body_ran == []
    assert item.status == status
    _nothing_written(item, before, events, pending)


def test_a_failed_condition_about_the_item_is_refused_with_its_words(
    item, django_capture_on_commit_callbacks
):
    Application.objects.filter(pk=item.pk).update(status=Status.IN_REVIEW, refusal_reason="x")
    item.refresh_from_db()
    before, events = _stored(item), ApplicationEvent.objects.count()
    with django_capture_on_commit_callbacks() as pending:
        with pytest.raises(ValidationError) as raised:
            LIFECYCLE.transition(Step.FINISH, item, actor=Actor(Role.CLERK))
    assert (raised.value.code, raised.value.messages) == ("reason", ["a reason was given"])
    _nothing_written(item, before, events, pending)


def test_an_error_in_the_body_writes_nothing(item, django_capture_on_commit_callbacks):
    before, events = _stored(item), ApplicationEvent.objects.count()
    with django_capture_on_commit_callbacks() as pending:
        with pytest.raises(ValidationError, match="slot full"):
            with LIFECYCLE.begin(
                Step.REVIEW, item, actor=Actor(Role.CLERK), fields=["status_changed_at"]
            ):
                item.status_changed_at = NOW
                raise ValidationError("slot full")
    assert item.status == Status.ACCEPTED
    _nothing_written(item, before, events, pending)


def test_a_stale_item_is_refused_by_the_conditional_update(
    item, django_capture_on_commit_callbacks
):
    """Someone moved the row after this item was read: the check passes on the stale
    status, the update finds the status changed and the step is refused."""
    Application.objects.filter(pk=item.pk).update(status=Status.CANCELLED)
    assert item.status == Status.ACCEPTED
    before, events = _stored(item), ApplicationEvent.objects.count()
    with django_capture_on_commit_callbacks() as pending:
        with pytest.raises(ValidationError) as raised:
            LIFECYCLE.transition(Step.REVIEW, item, actor=Actor(Role.CLERK))
    assert (raised.value.code, raised.value.messages) == ("status", ["wrong status"])
    assert item.status == Status.ACCEPTED
    _nothing_written(item, before, events, pending)


def test_a_rolled_back_transaction_never_rings(item, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as pending:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                moving = LIFECYCLE.transition(Step.REVIEW, item, actor=Actor(Role.CLERK))
                assert moving.record.pk is not None
                raise RuntimeError("a later write failed")
    assert pending == [] and rung == []
    assert _stored(item)[0] == Status.ACCEPTED
    assert not ApplicationEvent.objects.filter(step="review").exists()


def test_a_failing_doorbell_is_logged_and_the_step_stands(
    item, django_capture_on_commit_callbacks, caplog
):
    def broken(moving: engine.Transition) -> None:
        raise ConnectionError("the channel layer is away")

    lifecycle = lifecycle_with(broken)
    with caplog.at_level(logging.ERROR):
        with django_capture_on_commit_callbacks(execute=True) as pending:
            moving = lifecycle.transition(Step.REVIEW, item, actor=Actor(Role.CLERK))
    assert len(pending) == 1
    assert "the channel layer is away" in caplog.text
    assert _stored(item)[0] == Status.IN_REVIEW
    assert ApplicationEvent.objects.get(pk=moving.record.pk).step == "review"


def test_register_writes_the_first_row_and_rings(item, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        created = LIFECYCLE.register(item, now=NOW, history={"comment": "принято"})
    assert (created.step, created.before, created.after) == (
        engine.REGISTER,
        "",
        Status.ACCEPTED,
    )
    row = created.record
    assert (row.step, row.from_status, row.to_status, row.comment, row.at) == (
        "register",
        "",
        Status.ACCEPTED,
        "принято",
        NOW,
    )
    assert rung == [created]


def test_without_a_moment_the_transition_is_stamped_now(item):
    before = timezone.now()
    moving = LIFECYCLE.transition(Step.NOTE, item, actor=Actor(Role.CLERK))
    assert before <= moving.at <= timezone.now()


def test_a_role_may_be_given_without_an_actor(item):
    situation = Situation(item=item, actor=Actor(Role.GUEST), now=NOW)
    moving = LIFECYCLE.transition(Step.REVIEW, item, role=Role.CLERK, situation=situation)
    assert moving.after == Status.IN_REVIEW
    with pytest.raises(PermissionDenied):
        LIFECYCLE.transition(Step.NOTE, item, role=Role.GUEST, situation=situation)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_of_two_people_taking_the_same_step_at_once_exactly_one_wins(attempt):
    """Real threads with their own connections (SQLite by default, PostgreSQL with
    DATABASE_URL): both read the item, then both take the step. The second checks the
    status it read (still «accepted») and passes; its update finds the status moved."""
    item = application(user=UserFactory(username=f"racer-{attempt}"))

    def take(index: int, mine: Application) -> str:
        LIFECYCLE.transition(Step.REVIEW, mine, actor=Actor(Role.CLERK))
        return "moved"

    # Both have read the item before either takes the step.
    results = at_once(take, first=lambda index: Application.objects.get(pk=item.pk))
    outcomes = [r.code if isinstance(r, ValidationError) else r for r in results]
    assert sorted(outcomes) == ["moved", "status"], results
    assert Application.objects.get(pk=item.pk).status == Status.IN_REVIEW
    assert ApplicationEvent.objects.filter(application=item, step="review").count() == 1


def test_a_kind_without_history_or_doorbell_still_moves(item, django_capture_on_commit_callbacks):
    """The chat keeps its history in its transcript and the applications ring no page: the
    engine writes no row and registers nothing for them."""
    bare = engine.Lifecycle(
        TABLE,
        not_allowed="not allowed",
        wrong_status=engine.wrong_status_message("wrong status"),
        situation=Situation,
    )
    events = ApplicationEvent.objects.count()
    with django_capture_on_commit_callbacks() as pending:
        moving = bare.transition(Step.REVIEW, item, actor=Actor(Role.CLERK))
        created = bare.register(item)
    assert moving.record is None and created.record is None
    assert _stored(item)[0] == Status.IN_REVIEW
    assert ApplicationEvent.objects.count() == events and pending == []


def test_the_refusal_of_a_stale_item_names_the_status_it_is_in_now(item):
    """A kind's words may name the status (the applications' do): the one in the database,
    not the stale one the caller read."""
    naming = engine.Lifecycle(
        TABLE,
        not_allowed="not allowed",
        wrong_status=lambda step, status: ValidationError(f"{step} from {status}", code="status"),
        situation=Situation,
        record=application_lifecycle.record,
    )
    Application.objects.filter(pk=item.pk).update(status=Status.CANCELLED)
    with pytest.raises(ValidationError) as raised:
        naming.transition(Step.REVIEW, item, actor=Actor(Role.CLERK))
    assert raised.value.messages == ["review from cancelled"]


def test_a_given_situation_is_the_one_the_conditions_see(item):
    Application.objects.filter(pk=item.pk).update(status=Status.IN_REVIEW)
    item.refresh_from_db()
    told = Situation(item=Application(refusal_reason="x"), actor=Actor(Role.CLERK), now=NOW)
    with pytest.raises(ValidationError) as raised:
        LIFECYCLE.transition(Step.FINISH, item, actor=Actor(Role.CLERK), situation=told)
    assert raised.value.code == "reason"
    assert LIFECYCLE.transition(Step.FINISH, item, actor=Actor(Role.CLERK)).after == Status.DONE
