"""The applications and notifications API for the citizen, and the departments' endpoint."""

import pytest
from rest_framework.test import APIClient

from portal.applications.models import Application, ApplicationEvent, DepartmentAPIKey, Status
from portal.notifications.actions import notification_send
from portal.notifications.models import Notification, NotificationEvent
from tests.portal.application_factories import application, department

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def key_for(dept, **kwargs) -> str:
    _, key = DepartmentAPIKey.objects.create_key(
        name=f"{dept.code} system", department=dept, **kwargs
    )
    return key


def status_url(number: str) -> str:
    return f"/api/v1/department/applications/{number}/status/"


# --- The citizen ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/api/v1/applications/", "/api/v1/applications/7000000001/", "/api/v1/notifications/"]
)
def test_anonymous_is_refused_with_401(api, url):
    response = api.get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Session realm="api"'
    assert "results" not in response.json()


def test_citizen_lists_only_own_applications_private(api, citizen, other_citizen):
    mine = application(user=citizen)
    theirs = application(user=other_citizen)
    api.force_authenticate(citizen)
    response = api.get("/api/v1/applications/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    assert [row["number"] for row in response.json()["results"]] == [mine.number]
    assert api.get(f"/api/v1/applications/{theirs.number}/").status_code == 404
    detail = api.get(f"/api/v1/applications/{mine.number}/").json()
    assert detail["status"] == "accepted"
    assert detail["history"][0]["to_status"] == "accepted"


def test_citizen_lists_only_own_notifications(api, citizen, other_citizen):
    notification_send(user=citizen, event=NotificationEvent.STATUS_CHANGED, title="Моё")
    notification_send(user=other_citizen, event=NotificationEvent.STATUS_CHANGED, title="Чужое")
    api.force_authenticate(citizen)
    response = api.get("/api/v1/notifications/")
    assert [row["title"] for row in response.json()["results"]] == ["Моё"]
    assert "no-store" in response["Cache-Control"]


def test_lists_are_paginated(api, citizen):
    for _ in range(25):
        application(user=citizen)
    api.force_authenticate(citizen)
    first = api.get("/api/v1/applications/").json()
    assert first["count"] == 25 and len(first["results"]) == 20 and first["next"]
    assert api.get("/api/v1/applications/?page=9").status_code == 404


# --- The department ------------------------------------------------------------------


def test_department_moves_its_application_and_the_citizen_is_told(api, citizen):
    dept = department()
    app = application(user=citizen, dept=dept)
    response = api.post(
        status_url(app.number),
        {"status": "in_review", "comment": "Документы проверяются"},
        format="json",
        headers={"Authorization": f"Api-Key {key_for(dept)}"},
    )
    assert response.status_code == 200
    assert response.json()["status"] == "in_review"
    app.refresh_from_db()
    assert app.status == Status.IN_REVIEW
    assert app.events.last().comment == "Документы проверяются"
    assert Notification.objects.filter(user=citizen, title__contains=app.number).exists()


@pytest.mark.parametrize(
    "authorization",
    [None, "Api-Key", "Api-Key nonsense", "Api-Key abc.def", "Bearer x", "revoked", "expired"],
)
def test_without_a_valid_key_401_and_nothing_changes(api, citizen, authorization):
    dept = department()
    app = application(user=citizen, dept=dept)
    if authorization == "revoked":
        authorization = f"Api-Key {key_for(dept, revoked=True)}"
    elif authorization == "expired":
        import datetime

        from django.utils import timezone

        past = timezone.now() - datetime.timedelta(days=1)
        authorization = f"Api-Key {key_for(dept, expiry_date=past)}"
    headers = {"Authorization": authorization} if authorization else {}
    response = api.post(
        status_url(app.number), {"status": "in_review"}, format="json", headers=headers
    )
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    assert Application.objects.get(pk=app.pk).status == Status.ACCEPTED


def test_another_departments_application_is_404(api, citizen):
    app = application(user=citizen, dept=department("fns", "ФНС России"))
    key = key_for(department("mvd", "МВД России"))
    for number in (app.number, "9999999999"):
        response = api.post(
            status_url(number),
            {"status": "in_review"},
            format="json",
            headers={"Authorization": f"Api-Key {key}"},
        )
        assert response.status_code == 404
    assert Application.objects.get(pk=app.pk).status == Status.ACCEPTED


@pytest.mark.parametrize(
    "body, message",
    [
        ({"status": "lost"}, None),
        ({}, None),
        ({"status": "done"}, "перевести нельзя"),  # accepted -> done skips the review
        ({"status": "accepted"}, "Неизвестный статус"),
        ({"status": "refused"}, "Укажите причину отказа"),
        ({"status": "refused", "reason": "   "}, "Укажите причину отказа"),
    ],
)
def test_unknown_status_or_forbidden_move_is_400_and_nothing_changes(api, citizen, body, message):
    dept = department()
    app = application(user=citizen, dept=dept)
    response = api.post(
        status_url(app.number),
        body,
        format="json",
        headers={"Authorization": f"Api-Key {key_for(dept)}"},
    )
    assert response.status_code == 400
    if message:
        assert message in response.json()["status"][0]
    assert Application.objects.get(pk=app.pk).status == Status.ACCEPTED
    assert ApplicationEvent.objects.filter(application=app).count() == 1
    assert not Notification.objects.exists()


def test_the_key_is_stored_hashed(citizen):
    key = key_for(department())
    stored = DepartmentAPIKey.objects.get()
    assert key not in stored.hashed_key and key.split(".")[1] not in stored.hashed_key


def test_schema_documents_the_department_errors(api):
    schema = api.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/department/applications/{number}/status/"]["post"]
    assert {"200", "400", "401", "404"} <= set(operation["responses"])
    assert {"departmentApiKey": []} in operation["security"]
    assert "/api/v1/applications/" in schema["paths"]
    assert "/api/v1/notifications/" in schema["paths"]
