"""The operator workspace: queue by deadline, filters, actions through the pages."""

import datetime

import pytest
from django.core import mail

from support.appeals import actions
from support.appeals.models import Appeal, Status
from tests.support.appeals.factories import (
    PDF,
    TopicFactory,
    appeal_make,
    operator_make,
    supervisor_make,
    upload,
)

pytestmark = pytest.mark.django_db
QUEUE = "/support/operator/appeals/"


@pytest.fixture
def operator():
    return operator_make()


def _due(appeal: Appeal, day: datetime.date) -> Appeal:
    Appeal.objects.filter(pk=appeal.pk).update(due_date=day)
    appeal.refresh_from_db()
    return appeal


def test_queue_is_sorted_by_deadline_and_flags_overdue(client, operator):
    late = _due(appeal_make(subject="Поздний"), datetime.date(2030, 1, 10))
    early = _due(appeal_make(subject="Ранний"), datetime.date(2020, 1, 10))
    client.force_login(operator)
    html = client.get(QUEUE).content.decode()
    assert html.index(early.number) < html.index(late.number)
    assert "просрочено" in html


def test_queue_filters(client, operator):
    topic = TopicFactory(name="Оплата")
    mine = actions.appeal_take(appeal=appeal_make(subject="Моё"), actor=operator)
    other_topic = appeal_make(topic=topic, subject="Про оплату")
    overdue = _due(appeal_make(subject="Старое"), datetime.date(2020, 1, 1))
    client.force_login(operator)

    def numbers(**params) -> set[str]:
        html = client.get(QUEUE, params).content.decode()
        return {a.number for a in (mine, other_topic, overdue) if a.number in html}

    assert numbers() == {mine.number, other_topic.number, overdue.number}
    assert numbers(mine="on") == {mine.number}
    assert numbers(topic=topic.pk) == {other_topic.number}
    assert numbers(overdue="on") == {overdue.number}
    assert numbers(status="in_progress") == {mine.number}
    assert numbers(q=overdue.number) == {overdue.number}


def test_queue_partial_for_htmx(client, operator):
    appeal_make()
    client.force_login(operator)
    response = client.get(QUEUE, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="appeal-queue")
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="appeal-queue"')
    assert "<html" not in html


def test_queue_renders_in_a_constant_number_of_queries(
    client, operator, django_assert_max_num_queries
):
    for _ in range(3):
        actions.appeal_take(appeal=appeal_make(), actor=operator)
    client.force_login(operator)
    client.get(QUEUE)  # warm the session and permission caches
    with django_assert_max_num_queries(12) as few:
        client.get(QUEUE)
    for _ in range(25):
        actions.appeal_take(appeal=appeal_make(), actor=operator)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(QUEUE)


def test_operators_see_free_and_own_supervisors_see_all(client, operator):
    colleague_appeal = actions.appeal_take(appeal=appeal_make(), actor=operator_make("colleague"))
    free = appeal_make()
    client.force_login(operator)
    html = client.get(QUEUE).content.decode()
    assert free.number in html and colleague_appeal.number not in html
    assert client.get(colleague_appeal.get_operator_url()).status_code == 404
    client.force_login(supervisor_make())
    html = client.get(QUEUE).content.decode()
    assert colleague_appeal.number in html
    assert client.get(colleague_appeal.get_operator_url()).status_code == 200


def test_operator_takes_answers_with_a_file_and_citizen_sees_it(
    client, operator, citizen, committed
):
    appeal = appeal_make(author=citizen)
    client.force_login(operator)
    assert client.post(appeal.get_operator_url() + "take/").status_code == 302
    empty = client.post(appeal.get_operator_url() + "answer/", {"answer-text": ""})
    assert empty.status_code == 400 and "error-summary" in empty.content.decode()
    with committed():
        response = client.post(
            appeal.get_operator_url() + "answer/",
            {"answer-text": "Ответ оператора", "answer-files": [upload("answer.pdf", PDF)]},
        )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == Status.ANSWERED
    assert "Ответ оператора" in mail.outbox[-1].body
    client.force_login(citizen)
    html = client.get(appeal.get_absolute_url()).content.decode()
    assert "Ответ оператора" in html and "answer.pdf" in html
    assert "Запросить пересмотр" in html


def test_clarification_extend_comment_close_through_the_page(client, operator):
    appeal = appeal_make()
    client.force_login(operator)
    url = appeal.get_operator_url()
    client.post(url + "clarification/", {"clarification-text": "Уточните номер"})
    appeal.refresh_from_db()
    assert appeal.status == Status.CLARIFICATION
    client.post(url + "extend/", {"extend-text": "Запрос в ФНС"})
    client.post(url + "comment/", {"comment-text": "Позвонил заявителю"})
    response = client.post(url + "close/", {"close-text": ""})
    assert response.status_code == 400  # an unanswered appeal needs a reason
    client.post(url + "close/", {"close-text": "Заявитель не ответил"})
    appeal.refresh_from_db()
    assert appeal.status == Status.CLOSED
    assert appeal.deadline_kind == "interagency"
    assert appeal.events.filter(step="comment", is_public=False).exists()


def test_supervisor_reassigns_through_the_page(client, operator):
    appeal = actions.appeal_take(appeal=appeal_make(), actor=operator_make("colleague"))
    client.force_login(supervisor_make())
    response = client.post(appeal.get_operator_url() + "assign/", {"assign-operator": operator.pk})
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.operator == operator


def test_operator_cannot_reassign_through_the_page(client, operator):
    appeal = appeal_make()
    client.force_login(operator)
    client.post(appeal.get_operator_url() + "assign/", {"assign-operator": operator.pk})
    appeal.refresh_from_db()
    assert appeal.operator is None


def test_nav_shows_the_workspace_to_operators_only(client, operator, citizen):
    client.force_login(operator)
    assert "Рабочее место оператора" in client.get("/support/feedback/").content.decode()
    client.force_login(citizen)
    assert "Рабочее место оператора" not in client.get("/support/feedback/").content.decode()


def test_staff_groups_have_their_permissions():
    operator = operator_make()
    supervisor = supervisor_make()
    assert operator.has_perm("appeals.work_appeal")
    assert not operator.has_perm("appeals.supervise_appeal")
    assert supervisor.has_perm("appeals.supervise_appeal")
    assert supervisor.has_perm("appeals.change_topic")
