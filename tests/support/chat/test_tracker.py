"""Chats as rows of "Мои заявки": only the citizen's own, open ones active, a closed one
without a rating asks for it."""

import pytest
from django.utils import timezone

from support.cabinet.selectors import tracker_items_for
from support.chat import actions
from support.chat.models import Status
from tests.support.appeals.factories import operator_make
from tests.support.chat.factories import chat_make

pytestmark = pytest.mark.django_db


def test_items_are_the_citizens_own_chats(citizen, other_citizen, django_assert_max_num_queries):
    operator = operator_make("op-tracker")
    closed = chat_make(user=citizen, status=Status.CLOSED, operator=operator)
    open_ = chat_make(user=citizen)
    chat_make(user=other_citizen)
    with django_assert_max_num_queries(2):
        items = tracker_items_for(user=citizen)
    assert [item.number for item in items] == [open_.number, closed.number]
    current, past = items
    assert current.active and not current.needs_action and current.url == "/support/chat/"
    # Not rated yet, and still nothing asked of the citizen: a rating is a wish.
    assert not past.active and not past.needs_action
    assert past.url.endswith("transcript.txt") and past.status_label == "Закрыт"
    actions.conversation_rate(conversation_id=closed.pk, user=citizen, rating=4)
    assert not tracker_items_for(user=citizen)[1].needs_action


def test_a_visitor_has_no_items():
    from django.contrib.auth.models import AnonymousUser

    from support.chat.tracker import ChatTrackerKind

    now = timezone.now()
    rows = ChatTrackerKind().rows(user=AnonymousUser(), today=now.date(), now=now)
    assert not rows.exists()
