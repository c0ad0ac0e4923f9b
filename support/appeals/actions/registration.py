"""Registering an appeal: the feedback form and the API both come here.

`feedback_send` is one POST of the feedback form (remove a file, or register, or keep the
files that passed the checks); `appeal_register` registers, for the form and the API alike.
An appeal is never registered without a file the citizen saw attached: when the session
that held it is gone, the citizen is asked for it again.

A repeated submission (a double click, a refresh, a client retrying) carries the same
idempotency key. It is a replay only for the same visitor with the same content; anything
else is a conflict. The key is unique per owner, so when two people race with one key each
keeps their own appeal and nobody is shown the other's.
"""

import datetime
import hashlib
import json
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from portal.catalogue.models import Service
from portal.models import User
from portal.workcalendar.selectors import working_days_add
from support.appeals.actions.common import (
    SavedFiles,
    attach,
    email_citizen,
    local_today,
    with_files,
)
from support.appeals.actions.pending import attachment_unstash, attachments_stash
from support.appeals.lifecycle import LIFECYCLE
from support.appeals.models import (
    NUMBER_LENGTH,
    AnswerChannel,
    Appeal,
    Attachment,
    Topic,
)
from support.appeals.rules import (
    CABINET_NEEDS_ACCOUNT,
    CONSENT_REQUIRED,
    CONSENT_VERSION,
    DESCRIPTION_TOO_LONG,
    EMAIL_REQUIRED,
    IDEMPOTENCY_CONFLICT,
    MAX_DESCRIPTION,
    MAX_SUBJECT,
    PHONE_NEEDED_FOR_CALL,
    SUBJECT_TOO_LONG,
    TOPIC_UNKNOWN,
    email_required,
    files_lost,
    phone_normalise,
)
from support.appeals.selectors import attachment_names_pending, attachments_pending
from support.centre import people
from support.centre.uploads import MAX_FILES, TOO_MANY_FILES, CheckedFile


def _new_number() -> str:
    # Random, not sequential: a number must not tell how many appeals there are
    # or let anyone guess the neighbour's.
    low = 10 ** (NUMBER_LENGTH - 1)
    return str(low + secrets.randbelow(9 * low))


def _fingerprint(appeal: Appeal) -> str:
    """What makes two submissions "the same": everything the citizen wrote or chose."""
    content = [
        appeal.topic_id,
        appeal.service_id,
        appeal.subject,
        appeal.description,
        appeal.phone,
        appeal.email.casefold(),
        appeal.answer_channel,
    ]
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()


def _replayed(appeal: Appeal, *, key_issued: bool) -> Appeal | None:
    """The appeal this submission repeats, or None when it is new.

    The same visitor with the same content gets their first appeal back; the same visitor
    with other content is a conflict. A key somebody else used is a conflict too, unless this
    server issued the key to this visitor (the form's token): then it is theirs, whatever a
    stranger who copied it did. Never somebody else's appeal.
    """
    if appeal.idempotency_key is None:
        return None
    # Several owners may hold one key after a race; each keeps their own appeal.
    used = list(Appeal.objects.filter(idempotency_key=appeal.idempotency_key).order_by("pk"))
    mine = next((a for a in used if a.idempotency_owner == appeal.idempotency_owner), None)
    if mine is not None:
        if mine.idempotency_fingerprint == appeal.idempotency_fingerprint:
            return mine
        raise ValidationError(IDEMPOTENCY_CONFLICT, code="idempotency_conflict")
    if used and not key_issued:
        raise ValidationError(IDEMPOTENCY_CONFLICT, code="idempotency_conflict")
    return None


def appeal_register(
    *,
    author: User | None,
    topic: Topic,
    subject: str,
    description: str,
    email: str,
    answer_channel: str,
    consent: bool,
    phone: str = "",
    service: Service | None = None,
    files: Sequence[CheckedFile] = (),
    visitor: str = "",
    pending_token: uuid.UUID | None = None,
    idempotency_key: uuid.UUID | None = None,
    key_issued: bool = False,
    attached: Sequence[uuid.UUID] = (),
    now: datetime.datetime | None = None,
) -> Appeal:
    """Register an appeal with its files, or nothing.

    `visitor` is who submits (`portal.visitors.visitor_key`): it owns the pending files of
    `pending_token` and scopes `idempotency_key`. A repeat by the same visitor with the same
    content returns the first appeal; with other content it is refused (code
    "idempotency_conflict"). `attached` are the files the citizen saw attached to the form:
    each must be among the visitor's pending files, or nothing is registered.
    """
    author = author if author is not None and author.is_authenticated else None
    errors: dict[str, list] = {}
    if not consent:
        errors.setdefault("consent", []).append(CONSENT_REQUIRED)
    if not topic.is_active:
        errors.setdefault("topic", []).append(TOPIC_UNKNOWN)
    if answer_channel == AnswerChannel.CABINET and author is None:
        errors.setdefault("answer_channel", []).append(CABINET_NEEDS_ACCOUNT)
    try:
        phone = phone_normalise(phone)
    except ValidationError as error:
        errors.setdefault("phone", []).extend(error.messages)
    if answer_channel == AnswerChannel.PHONE and not phone and "phone" not in errors:
        errors.setdefault("phone", []).append(PHONE_NEEDED_FOR_CALL)
    email = (email or "").strip()
    if not email and email_required(answer_channel=answer_channel):
        errors.setdefault("email", []).append(EMAIL_REQUIRED)
    subject, description = subject.strip(), description.strip()
    if len(subject) > MAX_SUBJECT:
        errors.setdefault("subject", []).append(SUBJECT_TOO_LONG)
    if len(description) > MAX_DESCRIPTION:
        errors.setdefault("description", []).append(DESCRIPTION_TOO_LONG)
    pending = attachments_pending(token=pending_token, owner=visitor)
    if len(pending) + len(files) > MAX_FILES:
        errors.setdefault("files", []).append(TOO_MANY_FILES)
    lost = set(attached) - {attachment.key for attachment in pending}
    if lost:
        names = attachment_names_pending(token=pending_token, keys=lost)
        errors.setdefault("files", []).append(files_lost(names))
    if errors:
        raise ValidationError(errors)

    now = now or timezone.now()
    appeal = Appeal(
        author=author,
        topic=topic,
        service=service,
        subject=subject,
        description=description,
        phone=phone,
        email=email,
        answer_channel=answer_channel,
        consent_at=now,
        consent_version=CONSENT_VERSION,
        registered_at=now,
        deadline_days=topic.deadline_days,
        due_date=working_days_add(start=local_today(now), days=topic.deadline_days),
        idempotency_key=idempotency_key,
        idempotency_owner=visitor if idempotency_key else "",
    )
    appeal.idempotency_fingerprint = _fingerprint(appeal) if idempotency_key else ""
    appeal.full_clean(exclude=["number", "idempotency_key"])
    existing = _replayed(appeal, key_issued=key_issued)
    if existing is not None:
        return existing

    def work(saved: SavedFiles) -> Appeal:
        for _attempt in range(10):
            appeal.number = _new_number()
            if not Appeal.objects.filter(number=appeal.number).exists():
                break
        appeal.save()
        LIFECYCLE.register(
            appeal,
            actor=people.citizen(author),
            now=now,
            history={"details": {"due_date": appeal.due_date.isoformat()}},
        )
        attach(saved, appeal=appeal, files=files)
        if pending:
            Attachment.objects.filter(pk__in=[a.pk for a in pending]).update(
                appeal=appeal, pending_token=None, pending_owner="", pending_address=""
            )
        email_citizen(appeal, "registered")
        return appeal

    try:
        return with_files(work)
    except IntegrityError:
        # The same visitor's double click raced us to the same key: the first one wins.
        existing = _replayed(appeal, key_issued=key_issued)
        if existing is not None:
            return existing
        raise


@dataclass(frozen=True)
class FeedbackSent:
    """What one POST of the feedback form came to: an appeal, or the form again.

    `refusals` go next to the fields they name; `fresh_token` is set when the form must
    start again under a new token (its own was spent on another submission).
    """

    appeal: Appeal | None = None
    refusals: tuple[ValidationError, ...] = ()
    fresh_token: uuid.UUID | None = None


def feedback_send(
    *,
    author: User | None,
    visitor: str,
    address: str,
    token: uuid.UUID,
    key_issued: bool,
    appeal: dict | None,
    files: Sequence[CheckedFile] = (),
    attached: Sequence[uuid.UUID] = (),
    remove: uuid.UUID | None = None,
) -> FeedbackSent:
    """One POST of the feedback form.

    `address` is the client's, which caps unsent files over all its visitors. `remove`
    takes back a file attached before; else `appeal` (the form's fields, None while
    the form has errors) is registered with `files` and the files uploaded ahead. Whatever
    is not registered, the new files that passed the checks are kept for the form, as far as
    there is room, so nobody uploads them twice.
    """
    refusals: list[ValidationError] = []
    if remove is not None:
        attachment_unstash(token=token, owner=visitor, key=remove)
    elif appeal is not None:
        try:
            # The form's token keys both the files sent ahead and the replay of a resend.
            form = {"pending_token": token, "idempotency_key": token, "key_issued": key_issued}
            registered = appeal_register(
                author=author, visitor=visitor, files=files, attached=attached, **form, **appeal
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "idempotency_conflict":
                # Never the appeal behind a spent token: a new form with what was typed.
                return FeedbackSent(refusals=(error,), fresh_token=uuid.uuid4())
            refusals.append(error)
        else:
            return FeedbackSent(appeal=registered)
    room = MAX_FILES - len(attachments_pending(token=token, owner=visitor))
    if len(files) > room and appeal is None:  # a refused registration has said so already
        refusals.append(ValidationError({"files": TOO_MANY_FILES}))
    if files[: max(0, room)]:
        try:
            attachments_stash(
                token=token, owner=visitor, address=address, files=files[: max(0, room)]
            )
        except ValidationError as error:
            refusals.append(error)
    return FeedbackSent(refusals=tuple(refusals))
