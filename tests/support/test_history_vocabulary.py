"""Every history table speaks its lifecycle's words: a row names the step of the table that
made it (or `register`, the row that created the item), so the table, the history and the
API read alike."""

import pytest

from portal.applications.lifecycle import TABLE as APPLICATION_TABLE
from portal.applications.models import ApplicationEvent
from portal.history import StepRecord
from portal.lifecycle import REGISTER
from support.appeals.lifecycle import Step as AppealStep
from support.appeals.models import AppealEvent, EventKind
from support.callbacks.lifecycle import Step as CallbackStep
from support.callbacks.models import CallbackEvent

# The appeals' history also notes facts that are no step (for staff).
APPEAL_NOTES = {EventKind.OVERDUE, EventKind.NOTE, EventKind.UNDELIVERED}


@pytest.mark.parametrize("model", [AppealEvent, CallbackEvent, ApplicationEvent])
def test_the_three_histories_share_the_columns(model):
    assert issubclass(model, StepRecord)
    for name in ("step", "from_status", "to_status"):
        assert model._meta.get_field(name).concrete


def test_the_appeals_history_names_are_the_steps_and_the_notes():
    assert set(EventKind.values) == {REGISTER, *AppealStep, *APPEAL_NOTES}


@pytest.mark.django_db
def test_rows_written_by_the_actions_name_their_steps(citizen):
    from portal.applications.actions import application_status_change
    from portal.applications.lifecycle import Role
    from portal.applications.models import Status
    from support.appeals import actions as appeals
    from support.callbacks import actions as callbacks
    from support.centre import people
    from tests.portal.application_factories import application
    from tests.support.appeals.factories import appeal_make, operator_make
    from tests.support.callbacks.factories import callback_make, channel_make, moscow

    channel_make(places=1)

    operator = operator_make()
    appeal = appeal_make(author=citizen)
    appeals.appeal_take(appeal=appeal, actor=operator)
    appeals.appeal_answer(appeal=appeal, actor=operator, text="Ответ")
    appeals.appeal_confirm_resolved(appeal=appeal, actor=citizen)
    assert list(appeal.events.values_list("step", "from_status", "to_status")) == [
        (REGISTER, "", ""),
        (AppealStep.TAKE, "registered", "in_progress"),
        (AppealStep.ANSWER, "in_progress", "answered"),
        (AppealStep.RESOLVED, "answered", "closed"),
    ]
    callback = callback_make(user=citizen, starts_at=moscow(2026, 12, 1, 11, 0))
    callbacks.callback_cancel(
        callback=callback, actor=people.citizen(citizen), now=moscow(2026, 12, 1, 10, 0)
    )
    assert list(callback.events.values_list("step", "from_status", "to_status")) == [
        (CallbackStep.CANCEL, "requested", "cancelled")
    ]
    filed = application(user=citizen)
    application_status_change(application=filed, to=Status.IN_REVIEW, role=Role.DEPARTMENT)
    assert list(filed.events.values_list("step", "from_status", "to_status")) == [
        (REGISTER, "", "accepted"),
        ("in_review", "accepted", "in_review"),
    ]
    assert set(filed.events.values_list("step", flat=True)) <= {REGISTER, *APPLICATION_TABLE}


@pytest.mark.django_db
def test_the_data_migrations_map_the_old_names(citizen):
    """The migrations' functions run on rows that still carry the old names."""
    import importlib

    from django.apps import apps

    from portal.applications.actions import application_status_change
    from portal.applications.lifecycle import Role
    from portal.applications.models import Status
    from tests.portal.application_factories import application
    from tests.support.appeals.factories import appeal_make
    from tests.support.callbacks.factories import callback_make, channel_make, moscow

    def migration(name: str):
        return importlib.import_module(name)

    appeal = appeal_make(author=citizen)
    old = {
        "registered": {},
        "answered": {},
        "closed": {"closed_by": "citizen"},
        "review_requested": {"due_date": "2026-12-01"},
    }
    AppealEvent.objects.filter(appeal=appeal).delete()
    for kind, details in old.items():
        AppealEvent.objects.create(appeal=appeal, step=kind, actor_kind="citizen", details=details)
    AppealEvent.objects.create(appeal=appeal, step="closed", actor_kind="system", details={})
    AppealEvent.objects.create(
        appeal=appeal, step="closed", actor_kind="system", details={"closed_by": "auto"}
    )
    migration("support.appeals.migrations.0008_history_speaks_the_steps").forwards(apps, None)
    assert list(appeal.events.values_list("step", "details")) == [
        ("register", {}),
        ("answer", {}),
        ("resolved", {}),
        ("review", {"due_date": "2026-12-01"}),
        ("close", {}),
        ("auto_close", {}),
    ]

    channel_make(places=2)
    callback = callback_make(user=citizen, starts_at=moscow(2026, 12, 1, 11, 0))
    slot_at = callback.slot.starts_at
    for step, status in (("book", "requested"), ("no_answer", "no_answer"), ("move", "requested")):
        CallbackEvent.objects.create(
            callback=callback, step=step, to_status=status, slot_starts_at=slot_at
        )
    migration("support.callbacks.migrations.0003_history_speaks_the_steps").forwards(apps, None)
    assert list(callback.events.values_list("step", "from_status", "to_status")) == [
        ("register", "", "requested"),
        ("no_answer", "requested", "no_answer"),
        ("move", "no_answer", "requested"),
    ]

    filed = application(user=citizen)
    application_status_change(application=filed, to=Status.IN_REVIEW, role=Role.DEPARTMENT)
    ApplicationEvent.objects.filter(application=filed).update(step="register")
    migration("portal.applications.migrations.0003_history_speaks_the_steps").forwards(apps, None)
    assert list(filed.events.values_list("step", flat=True)) == ["register", "in_review"]
