"""The chat's background work: an operator's answer the citizen has not read goes to their
inbox (`INBOX_AFTER` later where the tasks backend can defer; at once where it cannot)."""

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from support.chat.rules import INBOX_AFTER


@task()
def chat_inbox_copy(conversation_id: int, seq: int) -> bool:
    # Imported here: the actions enqueue this task.
    from support.chat.actions import conversation_copy_to_inbox

    return conversation_copy_to_inbox(conversation_id=conversation_id, seq=seq)


def inbox_copy_on_commit(*, conversation_id: int, seq: int) -> None:
    """After the answer is stored: whether the citizen read it is asked later, not whether
    a page of theirs looks open (a socket of a dead server looks open too)."""

    def enqueue() -> None:
        copy = chat_inbox_copy
        if copy.get_backend().supports_defer:
            copy = copy.using(run_after=timezone.now() + INBOX_AFTER)
        copy.enqueue(conversation_id=conversation_id, seq=seq)

    transaction.on_commit(enqueue)
