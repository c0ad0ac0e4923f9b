"""What every appeals action shares: locking, files written in a transaction, e-mails
sent after commit. Each step goes through the lifecycle engine (`LIFECYCLE.begin` or
`.transition`): it checks the table, changes the status, writes the history row
(`support.appeals.history`) and rings the author after the commit."""

import datetime
from collections.abc import Callable, Sequence
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from portal.models import User
from support.appeals import tasks
from support.appeals.lifecycle import LIFECYCLE, Step
from support.appeals.models import Appeal, AppealEvent, Attachment, attachment_path
from support.centre import people, refusals
from support.centre.people import Actor
from support.centre.uploads import CheckedFile

_T = TypeVar("_T")


def local_today(now: datetime.datetime | None = None) -> datetime.date:
    """Deadlines are Moscow days, whatever the server's clock zone."""
    return timezone.localdate(now or timezone.now())


def staff_actor(user: User | None) -> Actor:
    actor = people.staff(user)
    if actor is None:
        raise PermissionDenied(refusals.NOT_ALLOWED)
    return actor


def locked(appeal: Appeal) -> Appeal:
    """Re-read the row under a lock so two people never both move it."""
    return Appeal.objects.select_for_update().select_related("topic").get(pk=appeal.pk)


def email_citizen(appeal: Appeal, template: str, event: AppealEvent | None = None) -> None:
    appeal_id, event_id = appeal.pk, event.pk if event else None
    transaction.on_commit(
        lambda: tasks.appeal_citizen_email.enqueue(
            appeal_id=appeal_id, template=template, event_id=event_id
        )
    )


def email_staff(appeal: Appeal, recipients: list[str], template: str = "overdue") -> None:
    appeal_id = appeal.pk
    transaction.on_commit(
        lambda: tasks.appeal_staff_email.enqueue(
            appeal_id=appeal_id, recipients=recipients, template=template
        )
    )


class SavedFiles:
    """Files written during a transaction, removed again if it does not commit."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def save(self, upload: UploadedFile) -> str:
        name = default_storage.save(attachment_path(None, upload.name or ""), upload)  # type: ignore[arg-type]
        self.names.append(name)
        return name

    def remove(self) -> None:
        for name in self.names:
            default_storage.delete(name)


def attach(saved: SavedFiles, *, files: Sequence[CheckedFile], **owner) -> list[Attachment]:
    """Write checked files and their rows; `owner` says whose they are (appeal or pending)."""
    attachments = []
    for checked in files:
        attachment = Attachment(
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            **owner,
        )
        attachment.file.name = saved.save(checked.upload)
        attachment.save()
        attachments.append(attachment)
    return attachments


def with_files(work: Callable[[SavedFiles], _T]) -> _T:
    """Run `work` in one transaction; files it wrote disappear if it fails."""
    saved = SavedFiles()
    try:
        with transaction.atomic():
            return work(saved)
    except BaseException:
        saved.remove()
        raise


def close_locked(
    appeal: Appeal,
    *,
    actor: Actor,
    step: Step,
    text: str = "",
    now: datetime.datetime | None = None,
) -> AppealEvent:
    """Close an already locked appeal (staff, the citizen or the housekeeping)."""
    with LIFECYCLE.begin(
        step,
        appeal,
        actor=actor,
        now=now,
        fields=["closed_at", "updated_at"],
        history={"text": text},
    ) as closing:
        appeal.closed_at = closing.at
    return closing.record
