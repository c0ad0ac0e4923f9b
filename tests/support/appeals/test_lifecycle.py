"""Every transition and who may make it; deadlines on the production calendar."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from portal.workcalendar import selectors as calendar
from support.appeals import actions
from support.appeals.actions import registration
from support.appeals.models import Appeal, DeadlineKind, EventKind, Status
from support.centre import people
from tests.portal.factories import UserFactory
from tests.support.appeals.factories import (
    TopicFactory,
    appeal_make,
    checked,
    operator_make,
    supervisor_make,
)

pytestmark = pytest.mark.django_db
MSK = datetime.timezone(datetime.timedelta(hours=3))


@pytest.fixture
def operator():
    return operator_make()


@pytest.fixture
def supervisor():
    return supervisor_make()


def _kinds(appeal: Appeal) -> list[str]:
    return list(appeal.events.values_list("step", flat=True))


def test_deadline_on_the_last_working_day_before_the_new_year():
    registered = datetime.datetime(2025, 12, 30, 17, 0, tzinfo=MSK)
    appeal = appeal_make(now=registered)
    assert appeal.due_date == datetime.date(2026, 1, 16)
    assert appeal.deadline_days == 5


def test_late_evening_in_moscow_counts_as_that_moscow_day():
    # 23:30 in Moscow on Friday is 20:30 UTC the same day: due five working days later.
    registered = datetime.datetime(2026, 3, 13, 23, 30, tzinfo=MSK)
    assert appeal_make(now=registered).due_date == datetime.date(2026, 3, 20)


def test_topic_policy_decides_the_term():
    topic = TopicFactory(deadline_days=10, clarification_days=15, interagency_days=30)
    registered = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=MSK)
    appeal = appeal_make(topic=topic, now=registered)
    assert appeal.due_date == calendar.working_days_add(start=datetime.date(2026, 3, 2), days=10)


def test_operator_takes_a_free_appeal(operator):
    appeal = actions.appeal_take(appeal=appeal_make(), actor=operator)
    assert appeal.status == Status.IN_PROGRESS
    assert appeal.operator == operator
    assert _kinds(appeal) == [EventKind.REGISTER, EventKind.TAKE]


def test_citizen_cannot_take(citizen):
    with pytest.raises(PermissionDenied):
        actions.appeal_take(appeal=appeal_make(), actor=citizen)


def test_operator_cannot_take_a_colleagues_appeal(operator):
    appeal = actions.appeal_take(appeal=appeal_make(), actor=operator_make("colleague"))
    with pytest.raises(PermissionDenied):
        actions.appeal_take(appeal=appeal, actor=operator)
    with pytest.raises(PermissionDenied):
        actions.appeal_answer(appeal=appeal, actor=operator, text="Ответ")


def test_supervisor_reassigns(operator, supervisor):
    appeal = actions.appeal_take(appeal=appeal_make(), actor=operator_make("colleague"))
    appeal = actions.appeal_assign(appeal=appeal, actor=supervisor, operator=operator)
    assert appeal.operator == operator
    event = appeal.events.get(step=EventKind.ASSIGN)
    assert not event.is_public


def test_operator_cannot_assign(operator):
    with pytest.raises(PermissionDenied):
        actions.appeal_assign(appeal=appeal_make(), actor=operator, operator=operator)


def test_cannot_assign_to_a_citizen(supervisor, citizen):
    with pytest.raises(ValidationError):
        actions.appeal_assign(appeal=appeal_make(), actor=supervisor, operator=citizen)


def test_clarification_extends_to_ten_days_and_citizen_answers(operator, citizen, committed):
    registered = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=MSK)
    appeal = appeal_make(author=citizen, now=registered)
    with committed():
        appeal = actions.appeal_request_clarification(
            appeal=appeal, actor=operator, text="Пришлите квитанцию."
        )
    assert appeal.status == Status.CLARIFICATION
    assert appeal.deadline_kind == DeadlineKind.CLARIFICATION
    assert appeal.due_date == calendar.working_days_add(start=datetime.date(2026, 3, 2), days=10)
    assert "Пришлите квитанцию." in mail.outbox[-1].body
    appeal = actions.appeal_clarify(
        appeal=appeal, actor=citizen, text="Квитанция во вложении.", files=[checked()]
    )
    assert appeal.status == Status.IN_PROGRESS
    event = appeal.events.get(step=EventKind.CLARIFY)
    assert event.attachments.count() == 1


def test_clarify_only_when_asked(citizen):
    with pytest.raises(ValidationError):
        actions.appeal_clarify(appeal=appeal_make(author=citizen), actor=citizen, text="Ещё")


def test_interagency_extension_to_thirty_days(operator, committed):
    registered = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=MSK)
    appeal = appeal_make(now=registered)
    with committed():
        appeal = actions.appeal_extend(appeal=appeal, actor=operator, text="Запрос в МВД")
    assert appeal.deadline_kind == DeadlineKind.INTERAGENCY
    assert appeal.due_date == calendar.working_days_add(start=datetime.date(2026, 3, 2), days=30)
    assert "срок ответа продлён" in mail.outbox[-1].subject.lower()
    with pytest.raises(ValidationError):
        actions.appeal_extend(appeal=appeal, actor=operator, text="Ещё раз")


def test_extension_needs_a_reason(operator):
    with pytest.raises(ValidationError) as error:
        actions.appeal_extend(appeal=appeal_make(), actor=operator, text=" ")
    assert "text" in error.value.message_dict


def test_answer_is_emailed_and_shown(operator, citizen, client, committed):
    appeal = appeal_make(author=citizen)
    with committed():
        appeal = actions.appeal_answer(appeal=appeal, actor=operator, text="Обновите приложение.")
    assert appeal.status == Status.ANSWERED
    assert appeal.operator == operator  # an operator answering a free appeal takes it
    assert "Обновите приложение." in mail.outbox[-1].body
    client.force_login(citizen)
    assert "Обновите приложение." in client.get(appeal.get_absolute_url()).content.decode()


def test_review_within_thirty_days_reopens(operator, citizen):
    appeal = actions.appeal_answer(appeal=appeal_make(author=citizen), actor=operator, text="Ок")
    appeal = actions.appeal_request_review(appeal=appeal, actor=citizen, text="Не то")
    assert appeal.status == Status.IN_PROGRESS
    assert appeal.review_count == 1
    assert appeal.events.get(step=EventKind.REVIEW).text == "Не то"


def test_review_after_thirty_days_is_refused(operator, citizen):
    appeal = actions.appeal_answer(appeal=appeal_make(author=citizen), actor=operator, text="Ок")
    Appeal.objects.filter(pk=appeal.pk).update(
        answered_at=timezone.now() - datetime.timedelta(days=31)
    )
    appeal.refresh_from_db()
    with pytest.raises(ValidationError):
        actions.appeal_request_review(appeal=appeal, actor=citizen, text="Поздно")


def test_escalation_only_when_overdue_or_after_review(operator, citizen, supervisor):
    appeal = appeal_make(author=citizen)
    with pytest.raises(ValidationError):
        actions.appeal_escalate(appeal=appeal, actor=citizen, text="Долго")
    Appeal.objects.filter(pk=appeal.pk).update(due_date=datetime.date(2020, 1, 1))
    appeal.refresh_from_db()
    appeal = actions.appeal_escalate(appeal=appeal, actor=citizen, text="Срок истёк")
    assert appeal.escalated
    assert appeal.supervisor == supervisor
    with pytest.raises(ValidationError):
        actions.appeal_escalate(appeal=appeal, actor=citizen, text="Ещё")


def test_escalation_after_review(operator, citizen, supervisor, committed):
    appeal = actions.appeal_answer(appeal=appeal_make(author=citizen), actor=operator, text="Ок")
    appeal = actions.appeal_request_review(appeal=appeal, actor=citizen, text="Не то")
    with committed():
        appeal = actions.appeal_escalate(appeal=appeal, actor=citizen, text="Не решено")
    assert appeal.escalated
    assert mail.outbox[-1].to == [supervisor.email]
    assert "передано руководителю" in mail.outbox[-1].subject
    # Escalated: the operator no longer sees it in the free queue; the supervisor does.
    free = appeal_make()
    assert actions.appeal_take(appeal=free, actor=operator).operator == operator


def test_escalated_appeal_cannot_be_picked_up_by_another_operator(citizen, supervisor):
    appeal = appeal_make(author=citizen)
    Appeal.objects.filter(pk=appeal.pk).update(due_date=datetime.date(2020, 1, 1))
    appeal.refresh_from_db()
    appeal = actions.appeal_escalate(appeal=appeal, actor=citizen, text="Срок истёк")
    with pytest.raises(PermissionDenied):
        actions.appeal_take(appeal=appeal, actor=operator_make("other-op"))
    assert actions.appeal_take(appeal=appeal, actor=supervisor).operator == supervisor


def test_citizen_confirms_resolved(operator, citizen):
    appeal = actions.appeal_answer(appeal=appeal_make(author=citizen), actor=operator, text="Ок")
    appeal = actions.appeal_confirm_resolved(appeal=appeal, actor=citizen)
    assert appeal.status == Status.CLOSED and appeal.closed_at


def test_operator_closes_with_a_reason(operator):
    appeal = appeal_make()
    with pytest.raises(ValidationError):
        actions.appeal_close(appeal=appeal, actor=operator, text="")
    appeal = actions.appeal_close(appeal=appeal, actor=operator, text="Дубликат")
    assert appeal.status == Status.CLOSED
    for step in (
        lambda: actions.appeal_answer(appeal=appeal, actor=operator, text="x"),
        lambda: actions.appeal_request_clarification(appeal=appeal, actor=operator, text="x"),
        lambda: actions.appeal_extend(appeal=appeal, actor=operator, text="x"),
        lambda: actions.appeal_close(appeal=appeal, actor=operator, text="x"),
    ):
        with pytest.raises(ValidationError):
            step()


def test_internal_comment_is_hidden_from_the_citizen(operator, citizen, client):
    appeal = appeal_make(author=citizen)
    actions.appeal_comment(appeal=appeal, actor=operator, text="Секретная заметка")
    client.force_login(citizen)
    assert "Секретная заметка" not in client.get(appeal.get_absolute_url()).content.decode()
    with pytest.raises(PermissionDenied):
        actions.appeal_comment(appeal=appeal, actor=citizen, text="x")


def test_overdue_notifications_once_a_day(operator, supervisor, committed):
    appeal = actions.appeal_take(appeal=appeal_make(), actor=operator)
    Appeal.objects.filter(pk=appeal.pk).update(due_date=datetime.date(2026, 3, 2))
    today = datetime.date(2026, 3, 4)
    with committed():
        assert actions.appeals_notify_overdue(today=today) == 1
        assert actions.appeals_notify_overdue(today=today) == 0
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {operator.email, supervisor.email}
    assert appeal.number in mail.outbox[0].subject
    with committed():
        assert actions.appeals_notify_overdue(today=today + datetime.timedelta(days=1)) == 1
    assert appeal.events.filter(step=EventKind.OVERDUE).count() == 1


def test_waiting_for_the_citizen_is_not_overdue(operator):
    appeal = actions.appeal_request_clarification(appeal=appeal_make(), actor=operator, text="?")
    Appeal.objects.filter(pk=appeal.pk).update(due_date=datetime.date(2020, 1, 1))
    assert actions.appeals_notify_overdue(today=datetime.date(2026, 3, 4)) == 0


def test_answers_close_after_the_review_window(operator):
    appeal = actions.appeal_answer(appeal=appeal_make(), actor=operator, text="Ок")
    assert actions.appeals_close_answered() == 0
    later = timezone.now() + datetime.timedelta(days=31)
    assert actions.appeals_close_answered(now=later) == 1
    appeal.refresh_from_db()
    assert appeal.status == Status.CLOSED


def test_stale_pending_uploads_are_removed(media_root):
    import uuid
    from pathlib import Path

    (attachment,) = actions.attachments_stash(
        token=uuid.uuid4(), owner="s1", address="203.0.113.1", files=[checked()]
    )
    path = Path(attachment.file.path)
    assert path.exists()
    assert actions.attachments_pending_cleanup() == 0
    later = timezone.now() + datetime.timedelta(days=2)
    assert actions.attachments_pending_cleanup(now=later) == 1
    assert not path.exists()


def test_check_overdue_command_runs(operator, capsys):
    from django.core.management import call_command

    call_command("appeals_check_overdue")
    assert "Overdue notified" in capsys.readouterr().out


def test_numbers_are_unique_eight_digits():
    numbers = {appeal_make().number for _ in range(30)}
    assert len(numbers) == 30
    assert all(len(n) == 8 and n.isdigit() and n[0] != "0" for n in numbers)


def test_random_number_collision_is_retried(monkeypatch):
    first = appeal_make()
    numbers = iter([first.number, first.number, "12345678"])
    monkeypatch.setattr(registration, "_new_number", lambda: next(numbers))
    assert appeal_make().number == "12345678"


def test_other_user_of_staff_groups_only(db):
    assert not people.user_is_operator(UserFactory(username="plain"))
