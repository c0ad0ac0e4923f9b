"""The admin changes an application's status only through the lifecycle action."""

import pytest

from portal.applications.models import Application, ApplicationEvent, Status
from portal.notifications.models import Notification
from tests.portal.application_factories import application
from tests.portal.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="admin-test", is_staff=True, is_superuser=True))
    return client


def change_url(app: Application) -> str:
    return f"/admin/applications/application/{app.pk}/change/"


def form_data(app: Application, **fields) -> dict:
    """What the change page posts: the fields and the history inline's management form."""
    events = list(app.events.order_by("pk"))
    data = {
        "events-TOTAL_FORMS": str(len(events)),
        "events-INITIAL_FORMS": str(len(events)),
        "events-MIN_NUM_FORMS": "0",
        "events-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for i, event in enumerate(events):
        data[f"events-{i}-id"] = str(event.pk)
        data[f"events-{i}-application"] = str(app.pk)
    return data


def test_the_form_offers_exactly_the_moves_staff_may_make(admin_client, citizen):
    app = application(user=citizen, status=Status.IN_REVIEW)
    body = admin_client.get(change_url(app)).content.decode()
    assert '<option value="action_required">' in body
    assert '<option value="cancelled">' in body
    # The result is the department's: staff get neither "ready" nor "refused".
    assert '<option value="done">' not in body
    assert '<option value="refused">' not in body
    # The status itself is not an editable field.
    assert 'name="status"' not in body


def test_a_change_goes_through_the_action(admin_client, citizen):
    app = application(user=citizen, status=Status.IN_REVIEW)
    response = admin_client.post(
        change_url(app), form_data(app, new_status="action_required", comment="Нужна справка")
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == Status.ACTION_REQUIRED
    event = ApplicationEvent.objects.filter(application=app).last()
    assert (event.from_status, event.to_status, event.actor_kind) == (
        "in_review",
        "action_required",
        "staff",
    )
    assert Notification.objects.filter(user=citizen).count() == 1


def test_a_forbidden_move_is_refused_and_nothing_changes(admin_client, citizen):
    app = application(user=citizen, status=Status.IN_REVIEW)
    response = admin_client.post(change_url(app), form_data(app, new_status="done", status="done"))
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    app.refresh_from_db()
    assert app.status == Status.IN_REVIEW
    assert ApplicationEvent.objects.filter(application=app).count() == 1
    assert not Notification.objects.exists()


def test_applications_cannot_be_added_in_the_admin(admin_client):
    assert admin_client.get("/admin/applications/application/add/").status_code == 403
