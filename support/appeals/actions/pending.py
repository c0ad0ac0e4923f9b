"""Files uploaded ahead of the feedback form, kept until the form is sent (or abandoned)."""

import uuid
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q

from support.appeals.actions.common import attach, with_files
from support.appeals.models import Attachment
from support.appeals.rules import (
    PENDING_ADDRESS_QUOTA_EXCEEDED,
    PENDING_QUOTA_EXCEEDED,
    pending_address_quota_bytes,
    pending_quota_bytes,
)
from support.centre.uploads import MAX_FILES, TOO_MANY_FILES, CheckedFile


def attachments_stash(
    *, token: uuid.UUID, owner: str, address: str, files: Sequence[CheckedFile]
) -> list[Attachment]:
    """Keep files that passed the checks while the rest of the form is being written.

    Bound to the visitor (`owner`) and the form (`token`); unsent files are capped in
    bytes across all forms of a visitor, and of a client `address` (whose visitors a new
    cookie multiplies), so neither made-up tokens nor fresh cookies can fill the disk.
    """

    def work(saved) -> list[Attachment]:
        # The lock on the visitor's and the address's rows makes the caps hold when
        # uploads run in parallel.
        held = list(
            Attachment.objects.select_for_update()
            .filter(Q(pending_owner=owner) | Q(pending_address=address), appeal=None)
            .values_list("pending_owner", "pending_token", "size")
        )
        mine = [(held_token, size) for held_owner, held_token, size in held if held_owner == owner]
        if sum(1 for held_token, _ in mine if held_token == token) + len(files) > MAX_FILES:
            raise ValidationError({"files": TOO_MANY_FILES})
        adding = sum(checked.size for checked in files)
        if sum(size for _, size in mine) + adding > pending_quota_bytes():
            raise ValidationError({"files": PENDING_QUOTA_EXCEEDED})
        if sum(size for _, _, size in held) + adding > pending_address_quota_bytes():
            raise ValidationError({"files": PENDING_ADDRESS_QUOTA_EXCEEDED})
        return attach(
            saved, files=files, pending_token=token, pending_owner=owner, pending_address=address
        )

    return with_files(work)


def attachment_unstash(*, token: uuid.UUID, owner: str, key: uuid.UUID) -> bool:
    """The citizen removed a file they had attached before sending."""
    attachment = Attachment.objects.filter(
        appeal=None, pending_token=token, pending_owner=owner, key=key
    ).first()
    if attachment is None:
        return False
    name = attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: default_storage.delete(name))
    return True
