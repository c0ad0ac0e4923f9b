"""The whole lifecycle table, walked: for every status × role × situation the page offers
exactly the allowed steps, and every other step posted by hand is refused with its message
and changes nothing."""

import datetime
import itertools
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from support.appeals import access, lifecycle
from support.appeals.lifecycle import TABLE, Step
from support.appeals.models import Appeal, AppealEvent, DeadlineKind, Status
from support.centre.people import SYSTEM, Role, citizen, staff
from support.centre.refusals import messages_of
from tests.support.appeals.factories import appeal_make, operator_make, supervisor_make

pytestmark = pytest.mark.django_db

STAFF_STEPS = [Step.TAKE, Step.ASSIGN, Step.ANSWER, Step.CLARIFICATION, Step.EXTEND]
STAFF_STEPS += [Step.CLOSE, Step.COMMENT]
CITIZEN_STEPS = [Step.CLARIFY, Step.ADD, Step.REVIEW, Step.ESCALATE, Step.RESOLVED]

# Situations an appeal can be in besides its status: (name, fields to set).
SITUATIONS = {
    "fresh": {},
    "overdue": {"due_date": datetime.date(2020, 1, 1)},
    "reviewed": {"review_count": 1},
    "escalated": {"escalated": True, "review_count": 1},
    "interagency": {"deadline_kind": DeadlineKind.INTERAGENCY},
    "answered_long_ago": {"answered_at_days_ago": 40},
}
# Who handles it: nobody, the operator who looks, a colleague.
HOLDERS = ["free", "mine", "colleague"]


@pytest.fixture
def people(citizen):
    return {
        "citizen": citizen,
        "operator": operator_make("op-looking"),
        "colleague": operator_make("op-colleague"),
        "supervisor": supervisor_make("sup-looking"),
    }


def _appeal(people, status: str, situation: str, holder: str) -> Appeal:
    appeal = appeal_make(author=people["citizen"])
    fields = dict(SITUATIONS[situation])
    days_ago = fields.pop("answered_at_days_ago", 1)
    fields["status"] = status
    if status in (Status.ANSWERED, Status.CLOSED):
        fields["answered_at"] = timezone.now() - datetime.timedelta(days=days_ago)
        fields["answer"] = "Ответ"
    fields["operator"] = {"free": None, "mine": people["operator"]}.get(holder, people["colleague"])
    Appeal.objects.filter(pk=appeal.pk).update(**fields)
    appeal.refresh_from_db()
    return appeal


def _expected(step: Step, appeal: Appeal, role: Role, user) -> bool:
    """The table read by hand, independently of `lifecycle.refusal`."""
    today = timezone.localdate()
    mine = appeal.operator_id == getattr(user, "pk", None)
    free = appeal.operator_id is None and not appeal.escalated
    handler = role == Role.SUPERVISOR or mine or free
    open_ = appeal.status in (Status.REGISTERED, Status.IN_PROGRESS, Status.CLARIFICATION)
    staff = role in (Role.OPERATOR, Role.SUPERVISOR)
    in_window = appeal.answered_at is not None and (
        timezone.now() - appeal.answered_at <= datetime.timedelta(days=30)
    )
    return {
        Step.TAKE: staff and open_ and handler and not mine,
        Step.ASSIGN: role == Role.SUPERVISOR and (open_ or appeal.status == Status.ANSWERED),
        Step.ANSWER: staff and open_ and handler,
        Step.CLARIFICATION: staff
        and handler
        and appeal.status in (Status.REGISTERED, Status.IN_PROGRESS),
        Step.EXTEND: staff
        and open_
        and handler
        and appeal.deadline_kind != DeadlineKind.INTERAGENCY,
        Step.CLOSE: staff and handler and (open_ or appeal.status == Status.ANSWERED),
        Step.COMMENT: staff,
        Step.CLARIFY: role == Role.CITIZEN and appeal.status == Status.CLARIFICATION,
        Step.REVIEW: role == Role.CITIZEN and appeal.status == Status.ANSWERED and in_window,
        Step.ESCALATE: role == Role.CITIZEN
        and appeal.status != Status.CLOSED
        and not appeal.escalated
        and (access.overdue(appeal, today=today) or appeal.review_count > 0),
        Step.RESOLVED: role == Role.CITIZEN and appeal.status == Status.ANSWERED,
        Step.ADD: role == Role.CITIZEN
        and appeal.status in (Status.REGISTERED, Status.IN_PROGRESS, Status.ANSWERED),
        Step.AUTO_CLOSE: role == Role.SYSTEM and appeal.status == Status.ANSWERED and not in_window,
    }[step]


CASES = list(itertools.product(Status, SITUATIONS, HOLDERS))


@pytest.mark.parametrize(("status", "situation", "holder"), CASES)
def test_the_table_allows_exactly_what_the_rules_say(people, status, situation, holder):
    appeal = _appeal(people, status, situation, holder)
    actors = {
        Role.CITIZEN: citizen(people["citizen"]),
        Role.OPERATOR: staff(people["operator"]),
        Role.SUPERVISOR: staff(people["supervisor"]),
        Role.SYSTEM: SYSTEM,
    }
    for role, actor in actors.items():
        allowed = lifecycle.steps_allowed(appeal=appeal, actor=actor)
        expected = {step.value for step in Step if _expected(step, appeal, role, actor.user)}
        assert allowed == expected, (role, status, situation, holder)


def _offered(html: str, number: str) -> set[str]:
    """The steps a page offers: the forms that post to a step's URL."""
    staff = set(re.findall(rf'/support/operator/appeals/{number}/([a-z_]+)/"', html))
    citizen = set(re.findall(rf'/support/appeals/{number}/([a-z_]+)/"', html))
    return (staff | citizen) - {"files"}


def _state(appeal: Appeal) -> tuple:
    appeal = Appeal.objects.get(pk=appeal.pk)
    events = AppealEvent.objects.filter(appeal=appeal).count()
    return (appeal.status, appeal.operator_id, appeal.due_date, appeal.escalated, events)


def _post(client: Client, url: str, step: str):
    data = {f"{step}-text": "Текст шага", "assign-operator": "", "text": "Текст"}
    return client.post(url, data)


def _opened_by(user, url: str):
    """A client signed in as `user` and the page it got at `url`."""
    client = Client()
    client.force_login(user)
    return client, client.get(url)


def _offers_the_allowed_and_refuses_the_rest(client, page, appeal, actor, url, steps) -> None:
    """The page offers exactly the steps the table allows `actor`; each other step of
    `steps`, posted by hand to `url`, is refused with its message and changes nothing."""
    allowed = lifecycle.steps_allowed(appeal=appeal, actor=actor)
    assert _offered(page.content.decode(), appeal.number) == set(allowed)
    for step in steps:
        if step in allowed:
            continue
        before = _state(appeal)
        response = _post(client, f"{url}{step}/", step)
        refusal = lifecycle.refusal(step, appeal=appeal, actor=actor)
        assert refusal is not None, step
        followed = client.get(response["Location"]) if response.status_code == 302 else response
        assert messages_of(refusal)[0] in followed.content.decode(), step
        assert _state(appeal) == before, step


# Representative situations for the pages (the full product above covers the rules).
PAGE_CASES = [
    (status, situation, holder)
    for status in Status
    for situation, holder in [("fresh", "free"), ("fresh", "mine"), ("overdue", "free")]
] + [
    (Status.ANSWERED, "answered_long_ago", "mine"),
    (Status.ANSWERED, "reviewed", "mine"),
    (Status.IN_PROGRESS, "escalated", "free"),
    (Status.IN_PROGRESS, "interagency", "mine"),
]


@pytest.mark.parametrize(("status", "situation", "holder"), PAGE_CASES)
def test_operator_page_offers_exactly_the_allowed_steps_and_refuses_the_rest(
    people, status, situation, holder
):
    appeal = _appeal(people, status, situation, holder)
    client, page = _opened_by(people["operator"], appeal.get_operator_url())
    if page.status_code == 404:
        # Escalated or a colleague's: the operator does not see it at all, nor act on it.
        assert appeal.escalated or holder == "colleague"
        for step in STAFF_STEPS:
            before = _state(appeal)
            assert _post(client, f"{appeal.get_operator_url()}{step}/", step).status_code == 404
            assert _state(appeal) == before
        return
    _offers_the_allowed_and_refuses_the_rest(
        client, page, appeal, staff(people["operator"]), appeal.get_operator_url(), STAFF_STEPS
    )


@pytest.mark.parametrize(("status", "situation", "holder"), PAGE_CASES)
def test_citizen_page_offers_exactly_the_allowed_steps_and_refuses_the_rest(
    people, status, situation, holder
):
    appeal = _appeal(people, status, situation, holder)
    client, page = _opened_by(people["citizen"], appeal.get_absolute_url())
    assert page.status_code == 200
    _offers_the_allowed_and_refuses_the_rest(
        client, page, appeal, citizen(people["citizen"]), appeal.get_absolute_url(), CITIZEN_STEPS
    )


def test_every_step_of_the_table_has_an_entry_point():
    from support.appeals import operator_views, views

    reachable = set(operator_views.STAFF_STEPS) | set(views.CITIZEN_STEPS) | {Step.RESOLVED}
    assert reachable | {Step.AUTO_CLOSE} == set(TABLE)


def test_a_non_staff_user_is_refused_every_staff_step(people):
    appeal = _appeal(people, Status.REGISTERED, "fresh", "free")
    assert staff(people["citizen"]) is None
    for step in STAFF_STEPS:
        refusal = lifecycle.refusal(step, appeal=appeal, actor=citizen(people["citizen"]))
        assert refusal is not None


def test_the_history_names_who_took_each_step(people):
    from support.appeals import actions
    from support.appeals.models import ActorKind, EventKind

    appeal = appeal_make(author=people["citizen"])
    actions.appeal_request_clarification(appeal=appeal, actor=people["operator"], text="Какой?")
    actions.appeal_clarify(appeal=appeal, actor=people["citizen"], text="Такой")
    events = {e.step: e for e in AppealEvent.objects.filter(appeal=appeal)}
    assert events[EventKind.REGISTER].actor == people["citizen"]
    assert events[EventKind.CLARIFICATION].actor == people["operator"]
    assert events[EventKind.CLARIFICATION].actor_kind == ActorKind.STAFF
    assert events[EventKind.CLARIFY].actor == people["citizen"]
    assert events[EventKind.CLARIFY].actor_kind == ActorKind.CITIZEN


def test_refusals_say_who_or_what(people):
    appeal = _appeal(people, Status.ANSWERED, "answered_long_ago", "colleague")
    about_who = lifecycle.refusal(Step.ANSWER, appeal=appeal, actor=staff(people["operator"]))
    assert isinstance(about_who, PermissionDenied) and str(about_who) == lifecycle.NOT_YOURS
    about_state = lifecycle.refusal(Step.REVIEW, appeal=appeal, actor=citizen(people["citizen"]))
    assert isinstance(about_state, ValidationError) and about_state.code == "review_window"
    wrong_role = lifecycle.refusal(Step.RESOLVED, appeal=appeal, actor=staff(people["supervisor"]))
    assert isinstance(wrong_role, PermissionDenied)
