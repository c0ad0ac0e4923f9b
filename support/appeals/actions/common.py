"""What every appeals action shares: the history line, locking, files written in a
transaction, e-mails sent after commit, and the lifecycle check."""

import datetime
from collections.abc import Callable, Sequence
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.live import user_event_on_commit
from portal.models import User
from support.appeals import lifecycle, tasks
from support.appeals.lifecycle import Step, status_after
from support.appeals.models import (
    ActorKind,
    Appeal,
    AppealEvent,
    Attachment,
    EventKind,
    Status,
    attachment_path,
)
from support.centre import people, refusals
from support.centre.people import Actor, Role
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


def locked_for(step: Step, appeal: Appeal, actor: Actor) -> Appeal:
    """The locked appeal, once the lifecycle allows the step on its current state."""
    appeal = locked(appeal)
    lifecycle.step_check(step, appeal=appeal, actor=actor)
    return appeal


# How the appeals' history names who took a step (staff are one kind there).
HISTORY_NAMES = {Role.CITIZEN: ActorKind.CITIZEN, Role.SYSTEM: ActorKind.SYSTEM}


def event_add(
    appeal: Appeal,
    *,
    kind: str,
    actor: Actor,
    from_status: str = "",
    text: str = "",
    details: dict | None = None,
    is_public: bool = True,
    at: datetime.datetime | None = None,
) -> AppealEvent:
    event = AppealEvent.objects.create(
        appeal=appeal,
        kind=kind,
        actor=actor.person,
        actor_kind=HISTORY_NAMES.get(actor.role, ActorKind.STAFF),
        from_status=from_status,
        to_status=appeal.status if from_status and from_status != appeal.status else "",
        text=text,
        details=details or {},
        is_public=is_public,
        created_at=at or timezone.now(),
    )
    if is_public:
        ring_author(appeal)
    return event


def _ring(user_id: int, appeal: Appeal, *, title: str, url: str) -> None:
    # The page re-reads the appeal; nothing is stored here: the history row is the record.
    user_event_on_commit(
        user_id=user_id,
        kind="status",
        data={
            "kind": "appeal",
            "number": appeal.number,
            "status": appeal.status,
            "title": title,
            "url": url,
        },
    )


def ring_author(appeal: Appeal) -> None:
    """After commit, tell the author's open pages that their appeal changed."""
    if appeal.author_id is not None:
        _ring(
            appeal.author_id,
            appeal,
            title=_("Обращение № %(number)s: %(status)s")
            % {"number": appeal.number, "status": Status(appeal.status).label},
            url=appeal.get_absolute_url(),
        )


def ring_operator(appeal: Appeal, *, title: str) -> None:
    """After commit, tell the handling operator's open pages that the citizen wrote (the
    workspace re-reads the appeal). A free appeal waits in the queue, where it is read anew."""
    if appeal.operator_id is not None:
        _ring(appeal.operator_id, appeal, title=title, url=appeal.get_operator_url())


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
    appeal: Appeal, *, actor: Actor, step: Step, text: str = "", closed_by: str = ""
) -> AppealEvent:
    """Close an already locked and checked appeal (staff, the citizen or the housekeeping)."""
    before = appeal.status
    appeal.status = status_after(step, before)
    appeal.closed_at = timezone.now()
    appeal.save(update_fields=["status", "closed_at", "updated_at"])
    return event_add(
        appeal,
        kind=EventKind.CLOSED,
        actor=actor,
        from_status=before,
        text=text,
        details={"closed_by": closed_by} if closed_by else None,
    )
