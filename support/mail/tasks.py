"""Background work of the mail channel: processing a stored letter.

The receiver only stores and enqueues, so an SMTP session never waits for parsing; with the
database backend `manage.py db_worker` does the processing (the default immediate backend
does it at once, in the receiver's process).
"""

from django_tasks import task


@task()
def letter_process_task(letter_id: int) -> str:
    from support.mail.actions import letter_process

    letter = letter_process(letter_id=letter_id)
    return letter.state if letter is not None else ""
