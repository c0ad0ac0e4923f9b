"""/support/escalation/: hand an appeal to a supervisor by number + e-mail."""

import datetime

import pytest
from django.test import Client

from support.appeals.lifecycle import ALREADY_ESCALATED, ESCALATION_NOT_YET
from support.appeals.models import Appeal, EventKind
from support.contacts.models import ManagementContact
from support.views import LOOKUP_FAILED
from tests.support.appeals.factories import appeal_make, supervisor_make

pytestmark = pytest.mark.django_db
URL = "/support/escalation/"


@pytest.fixture
def overdue():
    supervisor_make()
    appeal = appeal_make(email="anna@example.org")
    Appeal.objects.filter(pk=appeal.pk).update(due_date=datetime.date(2020, 1, 1))
    appeal.refresh_from_db()
    return appeal


def post(client, appeal_number: str, email: str = "anna@example.org", reason: str = "Срок истёк"):
    return client.post(URL, {"number": appeal_number, "email": email, "reason": reason})


def test_page_explains_and_lists_management_and_the_federal_service(client):
    ManagementContact.objects.create(
        position="Начальник отдела", name="С. П. Иванова", phone="8 495 777-00-10"
    )
    content = client.get(URL).content.decode()
    assert "Когда передавать руководителю" in content
    assert "Начальник отдела" in content and 'href="tel:84957770010"' in content
    assert 'href="https://do.gosuslugi.ru/"' in content


def test_overdue_appeal_is_escalated(client, overdue):
    response = post(client, overdue.number)
    assert response.status_code == 302
    overdue.refresh_from_db()
    assert overdue.escalated and overdue.supervisor is not None
    assert overdue.events.filter(step=EventKind.ESCALATE, text="Срок истёк").exists()
    page = client.get(response["Location"]).content.decode()
    assert f"Обращение № {overdue.number} передано руководителю" in page


def test_number_with_spaces_is_read(client, overdue):
    assert post(client, f" {overdue.number[:4]} {overdue.number[4:]} ").status_code == 302


def test_wrong_number_and_wrong_email_answer_the_same(client, overdue):
    wrong_number = post(client, "10000000")
    wrong_email = post(client, overdue.number, email="other@example.org")
    for response in (wrong_number, wrong_email):
        assert response.status_code == 400
        assert str(LOOKUP_FAILED) in response.content.decode()
    overdue.refresh_from_db()
    assert not overdue.escalated


def test_not_allowed_yet_shows_the_reason_next_to_the_form(client):
    appeal = appeal_make(email="anna@example.org")
    response = post(client, appeal.number)
    assert response.status_code == 400
    content = response.content.decode()
    assert str(ESCALATION_NOT_YET) in content and 'class="error-summary"' in content
    assert "Срок истёк" in content  # what the citizen typed is kept


def test_already_escalated(client, overdue):
    post(client, overdue.number)
    response = post(client, overdue.number, reason="Ещё раз")
    assert response.status_code == 400
    assert str(ALREADY_ESCALATED) in response.content.decode()


def test_reason_is_required(client, overdue):
    response = post(client, overdue.number, reason="   ")
    assert response.status_code == 400
    assert "Напишите, почему нужна помощь руководителя." in response.content.decode()
    overdue.refresh_from_db()
    assert not overdue.escalated


def test_escalation_is_rate_limited_with_the_lookup(overdue, settings):
    settings.APPEALS_LOOKUP_RATE = "3/m"
    client = Client()
    for _ in range(2):
        post(client, "10000000")
    client.post("/support/appeals/lookup/", {"number": "10000000", "email": "e@example.org"})
    response = post(client, overdue.number)
    assert response.status_code == 429
    overdue.refresh_from_db()
    assert not overdue.escalated
