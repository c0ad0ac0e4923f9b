"""The chat's lifecycle table, walked: for every status × role × situation exactly the
allowed steps are offered, and every refused step says why with the right exception."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from support.centre.refusals import messages_of
from support.chat import lifecycle
from support.chat.lifecycle import TABLE, Step
from support.chat.models import Conversation, Status
from tests.portal.factories import UserFactory
from tests.support.appeals.factories import operator_make, supervisor_make
from tests.support.chat.factories import chat_make, waited

pytestmark = pytest.mark.django_db

# What each role may do, by status, when the situation allows (the table's intent, written
# out by hand so a change to TABLE has to be a change here too).
EXPECTED = {
    ("owner", Status.BOT): {Step.ASK, Step.HAND_OFF, Step.LEAVE_MESSAGE, Step.END},
    ("owner", Status.WAITING): {Step.WRITE, Step.LEAVE_MESSAGE, Step.END},
    ("owner", Status.OPERATOR): {Step.WRITE, Step.END},
    ("owner", Status.CLOSED): {Step.RATE},
    ("holder", Status.WAITING): {Step.TAKE},
    ("holder", Status.OPERATOR): {Step.ANSWER, Step.TRANSFER, Step.CLOSE},
    ("colleague", Status.WAITING): {Step.TAKE},
    ("supervisor", Status.WAITING): {Step.TAKE},
    ("supervisor", Status.OPERATOR): {Step.ANSWER, Step.TRANSFER, Step.CLOSE},
}


@pytest.fixture
def people(citizen):
    return {
        "owner": citizen,
        "stranger": UserFactory(username="stranger"),
        "holder": operator_make("op-holder"),
        "colleague": operator_make("op-colleague"),
        "supervisor": supervisor_make("sup"),
    }


def _actor(people, who: str) -> lifecycle.Actor:
    if who in ("owner", "stranger"):
        return lifecycle.citizen(people[who])
    return lifecycle.staff(people[who])


@pytest.mark.parametrize(
    ("status", "who"),
    list(
        itertools.product(
            [Status.BOT, Status.WAITING, Status.OPERATOR, Status.CLOSED],
            ["owner", "stranger", "holder", "colleague", "supervisor"],
        )
    ),
)
def test_every_status_and_role_gets_exactly_the_expected_steps(people, status, who):
    conversation = chat_make(user=people["owner"], status=status, operator=people["holder"])
    actor = _actor(people, who)
    allowed = lifecycle.steps_allowed(conversation=conversation, actor=actor)
    assert allowed == {s.value for s in EXPECTED.get((who, status), set())}
    for step in set(Step) - {Step(s) for s in allowed}:
        error = lifecycle.refusal(step, conversation=conversation, actor=actor)
        assert error is not None, step
        if who == "stranger" or actor.role not in TABLE[step].roles:
            # Who is refused as a person learns nothing about the state.
            assert isinstance(error, PermissionDenied), step
        with pytest.raises((PermissionDenied, ValidationError)):
            lifecycle.step_check(step, conversation=conversation, actor=actor)


def test_a_stranger_is_refused_as_a_person_not_told_the_state(people):
    conversation = chat_make(user=people["owner"])
    error = lifecycle.refusal(
        Step.RATE, conversation=conversation, actor=lifecycle.citizen(people["stranger"])
    )
    assert isinstance(error, PermissionDenied)
    assert str(lifecycle.NOT_OWNER) in messages_of(error)


def test_retry_opens_after_five_minutes_and_only_once(people):
    conversation = chat_make(user=people["owner"], status=Status.WAITING, operator=people["holder"])
    owner = lifecycle.citizen(people["owner"])
    error = lifecycle.refusal(Step.RETRY, conversation=conversation, actor=owner)
    assert isinstance(error, ValidationError) and error.code == "too_early"
    waited(conversation, 5)
    assert "retry" in lifecycle.steps_allowed(conversation=conversation, actor=owner)
    Conversation.objects.filter(pk=conversation.pk).update(retried_at=conversation.queued_at)
    conversation.refresh_from_db()
    error = lifecycle.refusal(Step.RETRY, conversation=conversation, actor=owner)
    assert isinstance(error, ValidationError) and error.code == "retried"


def test_rating_twice_is_refused(people):
    conversation = chat_make(user=people["owner"], status=Status.CLOSED, operator=people["holder"])
    Conversation.objects.filter(pk=conversation.pk).update(rating=5)
    conversation.refresh_from_db()
    error = lifecycle.refusal(
        Step.RATE, conversation=conversation, actor=lifecycle.citizen(people["owner"])
    )
    assert isinstance(error, ValidationError) and error.code == "rated"


def test_every_step_leads_where_the_table_says():
    assert lifecycle.status_after(Step.HAND_OFF, Status.BOT) == Status.WAITING
    assert lifecycle.status_after(Step.TAKE, Status.WAITING) == Status.OPERATOR
    assert lifecycle.status_after(Step.CLOSE, Status.OPERATOR) == Status.CLOSED
    assert lifecycle.status_after(Step.LEAVE_MESSAGE, Status.WAITING) == Status.CLOSED
    assert lifecycle.status_after(Step.ANSWER, Status.OPERATOR) == Status.OPERATOR
