"""The chat's background work: an operator's answer the citizen has not read goes to their
inbox (`INBOX_AFTER` later where the tasks backend can defer; at once where it cannot)."""

from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db import DatabaseBackend

from support.chat.rules import INBOX_AFTER


@task()
def chat_inbox_copy(conversation_id: int, seq: int) -> bool:
    # Imported here: the actions enqueue this task.
    from support.chat.actions import conversation_copy_to_inbox

    return conversation_copy_to_inbox(conversation_id=conversation_id, seq=seq)


def inbox_copy_on_commit(*, conversation_id: int, seq: int) -> None:
    """After the answer is stored: whether the citizen read it is asked later, not whether
    a page of theirs looks open (a socket of a dead server looks open too).

    A queue in the database takes the task in the answer's own transaction: stored with it
    or not at all, and no second commit per answer. Any other backend is given it after the
    commit (the immediate one runs it then)."""
    copy = chat_inbox_copy
    if copy.get_backend().supports_defer:
        copy = copy.using(run_after=timezone.now() + INBOX_AFTER)

    def enqueue() -> None:
        copy.enqueue(conversation_id=conversation_id, seq=seq)

    if isinstance(copy.get_backend(), DatabaseBackend):
        enqueue()
    else:
        transaction.on_commit(enqueue)
