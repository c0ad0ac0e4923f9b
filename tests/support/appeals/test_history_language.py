"""The system's own words in an appeal's history follow the reader's language."""

import datetime

import pytest
from django.utils import translation

from support.appeals import actions
from support.appeals.models import EventKind
from tests.support.appeals.factories import appeal_make, operator_make, supervisor_make

pytestmark = pytest.mark.django_db


def test_registration_note_is_written_when_read_in_either_language():
    appeal = appeal_make()
    event = appeal.events.get(step=EventKind.REGISTER)
    assert event.text == ""
    due = appeal.due_date
    with translation.override("ru"):
        assert event.note() == f"Ответ подготовим до {due.day} " + _ru_month(due) + f" {due.year}."
    with translation.override("en"):
        assert event.note().startswith("We will prepare an answer by ")


def test_assignment_keeps_the_reason_apart_from_the_system_note():
    appeal = appeal_make()
    supervisor = supervisor_make()
    operator = operator_make()
    actions.appeal_assign(appeal=appeal, actor=supervisor, operator=operator, text="Отпуск")
    event = appeal.events.get(step=EventKind.ASSIGN)
    assert event.text == "Отпуск"
    with translation.override("en"):
        assert event.note() == f"Assigned to: {operator.get_full_name()}."


def test_the_citizen_sees_the_note_on_the_appeal_page(client):
    appeal = appeal_make(author=None)
    client.post("/support/appeals/lookup/", {"number": appeal.number, "email": appeal.email})
    page = client.get(appeal.get_absolute_url()).content.decode()
    assert "Ответ подготовим до" in page


def _ru_month(day: datetime.date) -> str:
    return [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ][day.month - 1]
