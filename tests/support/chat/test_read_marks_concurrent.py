"""Two sockets of one side (two tabs) mark reading at the same moment: the mark is the
furthest of the two whatever order the database runs them in, never moved back."""

import threading

import pytest
from django.db import connection

from support.chat import actions
from support.chat.actions.common import store
from support.chat.models import Conversation, SenderKind, Status
from tests.support.chat.factories import chat_make

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("staff", [False, True])
def test_two_concurrent_read_marks_never_move_the_mark_back(people, staff):
    citizen, operator = people["citizen"], people["operator"]
    if connection.vendor == "sqlite":
        pytest.skip("SQLite runs one writer at a time: nothing concurrent to test")
    conversation = chat_make(user=citizen, status=Status.OPERATOR, operator=operator)
    for n in range(6):
        store(
            Conversation.objects.get(pk=conversation.pk),
            sender_kind=SenderKind.OPERATOR,
            text=f"ответ {n}",
        )
    last = Conversation.objects.get(pk=conversation.pk).last_seq
    field = "operator_read_seq" if staff else "citizen_read_seq"
    for round_ in range(20):
        Conversation.objects.filter(pk=conversation.pk).update(**{field: 0})
        start = threading.Barrier(2)
        moved = {}

        def mark(seq: int, start=start, moved=moved) -> None:
            start.wait()
            try:
                moved[seq] = actions.conversation_mark_read(
                    conversation_id=conversation.pk, staff=staff, seq=seq
                )
            finally:
                connection.close()

        threads = [threading.Thread(target=mark, args=(seq,)) for seq in (last, last - 3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert getattr(Conversation.objects.get(pk=conversation.pk), field) == last, round_
        assert moved[last] is True
