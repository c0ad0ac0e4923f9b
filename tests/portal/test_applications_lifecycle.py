"""The application lifecycle table walked: every status × role × target."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from portal.applications import lifecycle
from portal.applications.actions import application_status_change
from portal.applications.lifecycle import Role
from portal.applications.models import Application, ApplicationEvent, Status
from portal.notifications.models import Notification, NotificationEvent
from tests.portal.application_factories import application

pytestmark = pytest.mark.django_db

ALLOWED = {
    # (role, from) -> the targets it may reach
    (Role.DEPARTMENT, Status.ACCEPTED): {
        Status.IN_REVIEW,
        Status.ACTION_REQUIRED,
        Status.REFUSED,
        Status.CANCELLED,
    },
    (Role.DEPARTMENT, Status.IN_REVIEW): {
        Status.ACTION_REQUIRED,
        Status.DONE,
        Status.REFUSED,
        Status.CANCELLED,
    },
    (Role.DEPARTMENT, Status.ACTION_REQUIRED): {
        Status.IN_REVIEW,
        Status.REFUSED,
        Status.CANCELLED,
    },
    (Role.STAFF, Status.ACCEPTED): {Status.IN_REVIEW, Status.ACTION_REQUIRED, Status.CANCELLED},
    (Role.STAFF, Status.IN_REVIEW): {Status.ACTION_REQUIRED, Status.CANCELLED},
    (Role.STAFF, Status.ACTION_REQUIRED): {Status.IN_REVIEW, Status.CANCELLED},
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("start", list(Status))
@pytest.mark.parametrize("target", list(Status))
def test_every_transition_is_allowed_or_refused_with_nothing_changed(citizen, role, start, target):
    app = application(user=citizen, status=start)
    allowed = target in ALLOWED.get((role, start), set())
    events_before = ApplicationEvent.objects.count()
    if allowed:
        application_status_change(
            application=app, to=target, role=role, comment="ок", reason="Нет документов"
        )
        app.refresh_from_db()
        assert app.status == target
        event = app.events.order_by("-pk").first()
        assert (event.from_status, event.to_status) == (start, target)
        note = Notification.objects.get(user=citizen)
        assert app.number in note.title
        assert note.url == app.get_absolute_url()
        assert note.event == (
            NotificationEvent.CLARIFICATION_REQUESTED
            if target == Status.ACTION_REQUIRED
            else NotificationEvent.STATUS_CHANGED
        )
        return
    expected = lifecycle.refusal(target, application=app, role=role, reason="Нет документов")
    assert expected is not None
    with pytest.raises((PermissionDenied, ValidationError)) as refused:
        application_status_change(application=app, to=target, role=role, reason="Нет документов")
    assert lifecycle.messages_of(refused.value) == lifecycle.messages_of(expected)
    if role == Role.STAFF and target in (Status.DONE, Status.REFUSED):
        assert isinstance(refused.value, PermissionDenied)
    elif target == Status.ACCEPTED:
        assert refused.value.messages == [str(lifecycle.UNKNOWN_STATUS)]
    else:
        assert "перевести нельзя" in refused.value.messages[0]
    app.refresh_from_db()
    assert app.status == start
    assert ApplicationEvent.objects.count() == events_before
    assert not Notification.objects.exists()


def test_refusal_needs_a_reason_and_keeps_it(citizen):
    app = application(user=citizen, status=Status.IN_REVIEW)
    with pytest.raises(ValidationError) as refused:
        application_status_change(
            application=app, to=Status.REFUSED, role=Role.DEPARTMENT, reason="  "
        )
    assert refused.value.messages == [str(lifecycle.REASON_REQUIRED)]
    app.refresh_from_db()
    assert app.status == Status.IN_REVIEW

    application_status_change(
        application=app, to=Status.REFUSED, role=Role.DEPARTMENT, reason="Неполный комплект"
    )
    app.refresh_from_db()
    assert app.refusal_reason == "Неполный комплект"
    assert Notification.objects.get(user=citizen).body == "Неполный комплект"


def test_unknown_status_is_refused(citizen):
    app = application(user=citizen)
    with pytest.raises(ValidationError) as refused:
        application_status_change(application=app, to="lost", role=Role.DEPARTMENT)
    assert refused.value.messages == [str(lifecycle.UNKNOWN_STATUS)]
    assert Application.objects.get(pk=app.pk).status == Status.ACCEPTED


def test_expected_date_counts_working_days(citizen):
    import datetime

    from django.utils import timezone

    from tests.portal.catalogue_factories import ServiceFactory

    # Friday 2026-05-08, 10:00 Moscow; May 11 is a holiday (observed), 5 working days.
    at = timezone.make_aware(datetime.datetime(2026, 5, 8, 10, 0))
    app = application(user=citizen, service=ServiceFactory(processing_days=5), submitted_at=at)
    assert app.expected_date == datetime.date(2026, 5, 18)
