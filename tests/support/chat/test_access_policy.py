"""Which staff see a chat: one rule, its SQL form (the operator pages' lookup) and its Python
form (files, the transcript, the sockets' handshake and every ring) agree on every status ×
holder, for every kind of person; and the page, the transcript and the socket's rule answer
alike."""

import itertools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from support.chat import access, selectors
from support.chat.models import Conversation, Status
from tests.portal.factories import UserFactory
from tests.support.appeals.factories import operator_make, supervisor_make
from tests.support.chat.factories import chat_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_people():
    ex_staff = operator_make("op-ex")
    ex_staff.is_staff = False  # still in the operators' group, out of the staff
    ex_staff.save()
    # Staff of the portal (an editor, say) who works in no contact centre role.
    editor = UserFactory(username="editor-chat", is_staff=True)
    return {
        "operator": operator_make("op-chat-policy"),
        "other": operator_make("op-chat-other"),
        "supervisor": supervisor_make("sv-chat-policy"),
        "ex_staff": ex_staff,
        "editor": editor,
    }


@pytest.fixture
def conversations(citizen, staff_people):
    """One conversation for each status × holder."""
    holders = [None, staff_people["operator"], staff_people["other"]]
    made = []
    for status, holder in itertools.product(Status, holders):
        conversation = Conversation.objects.create(user=citizen, language="ru")
        Conversation.objects.filter(pk=conversation.pk).update(status=status, operator=holder)
        made.append(conversation.pk)
    return list(Conversation.objects.filter(pk__in=made))


WHO = ["operator", "supervisor", "ex_staff", "editor", "citizen", "anonymous"]


@pytest.mark.parametrize("who", WHO)
def test_which_staff_see_a_chat_is_one_rule_in_sql_and_in_python(
    conversations, staff_people, citizen, who
):
    user = {**staff_people, "citizen": citizen, "anonymous": AnonymousUser()}[who]
    actor = access.staff_of(user)
    in_sql = set(
        Conversation.objects.filter(access.staff_sees_q(actor=actor)).values_list("pk", flat=True)
    )
    in_python = {c.pk for c in conversations if access.staff_sees(c, actor=actor)}
    assert in_sql == in_python
    if who == "supervisor":
        assert len(in_python) == len(conversations)
    elif who == "operator":
        assert in_python == {
            c.pk
            for c in conversations
            if c.status == Status.WAITING or c.operator_id == staff_people["operator"].pk
        }
        assert 0 < len(in_python) < len(conversations)
    else:
        # A citizen, a visitor, an account taken out of the staff and staff in no contact
        # centre role (whom the operator pages and socket refuse) see no chat as staff.
        assert in_python == set()
    # The pages' lookup and the sockets' rule ask the same policy.
    for conversation in conversations:
        found = selectors.conversation_for_staff(user=user, pk=conversation.pk) is not None
        side = selectors.may_read(user=user, conversation=conversation)
        assert found == (conversation.pk in in_python)
        if who != "citizen":
            assert (side == "staff") == found


def test_an_operator_loses_a_chat_another_takes_over_and_never_sees_anothers(
    client, citizen, staff_people
):
    operator, other = staff_people["operator"], staff_people["other"]
    conversation = chat_make(user=citizen, status=Status.OPERATOR, operator=other)
    client.force_login(operator)
    assert client.get(reverse("chat:operator-chat", args=[conversation.pk])).status_code == 404
    assert client.get(reverse("chat:transcript", args=[conversation.pk])).status_code == 404
    client.force_login(staff_people["supervisor"])
    assert client.get(reverse("chat:operator-chat", args=[conversation.pk])).status_code == 200
    assert client.get(reverse("chat:transcript", args=[conversation.pk])).status_code == 200


@pytest.mark.parametrize("who", ["operator", "supervisor", "ex_staff", "editor", "citizen"])
def test_the_staff_role_read_again_for_an_answer_is_the_same_rule_in_one_query(
    staff_people, citizen, who, django_assert_num_queries
):
    """An open socket reads the role again before every answer: the same answer as the
    handshake's `staff_of`, in one query instead of the account and its permissions."""
    user = {**staff_people, "citizen": citizen}[who]
    expected = access.staff_of(type(user).objects.get(pk=user.pk))
    with django_assert_num_queries(1):
        now = access.staff_now(user.pk)
    assert (now and now.role) == (expected and expected.role)
    assert now is None or now.user.pk == user.pk
    if who in ("operator", "supervisor"):
        assert now is not None


def test_the_role_read_again_sees_a_group_or_a_grant_taken_away(staff_people):
    from django.contrib.auth.models import Permission

    from support.centre.people import WORK

    operator = staff_people["operator"]
    assert access.staff_now(operator.pk).role == "operator"
    operator.groups.clear()
    assert access.staff_now(operator.pk) is None
    # The permission granted to the account itself counts as the group's does.
    operator.user_permissions.add(Permission.objects.get(codename=WORK.split(".")[1]))
    assert access.staff_now(operator.pk).role == "operator"
    assert access.staff_now(10**9) is None
