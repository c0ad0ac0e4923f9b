"""The daily run (`manage.py appeals_check_overdue`): overdue notices, closing answers
nobody contested, removing uploads for forms nobody sent."""

import datetime

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from support.appeals import access, lifecycle
from support.appeals.actions.common import close_locked, email_staff, local_today, locked
from support.appeals.history import event_add
from support.appeals.lifecycle import Step
from support.appeals.models import (
    AWAITING_STAFF,
    Appeal,
    Attachment,
    EventKind,
    Status,
)
from support.appeals.rules import PENDING_TTL, REVIEW_WINDOW_DAYS
from support.centre import people
from support.centre.people import supervisors


def appeals_notify_overdue(*, today: datetime.date | None = None) -> int:
    """Tell the operator and supervisors about overdue appeals, at most once a day each."""
    today = today or local_today()
    supervisor_emails = [email for email in supervisors().values_list("email", flat=True) if email]
    notified = 0
    candidates = (
        Appeal.objects.filter(access.overdue_q(today=today))
        .filter(Q(overdue_notified_on__isnull=True) | Q(overdue_notified_on__lt=today))
        .select_related("operator")
        .order_by("due_date")
    )
    for appeal in candidates.iterator(chunk_size=500):
        with transaction.atomic():
            # The conditional update is the "once a day" guard when two runs overlap.
            claimed = (
                Appeal.objects.filter(pk=appeal.pk, status__in=AWAITING_STAFF)
                .filter(Q(overdue_notified_on__isnull=True) | Q(overdue_notified_on__lt=today))
                .update(overdue_notified_on=today)
            )
            if not claimed:
                continue
            if appeal.overdue_notified_on is None:
                event_add(appeal, step=EventKind.OVERDUE, actor=people.SYSTEM, is_public=False)
            recipients = list(supervisor_emails)
            if appeal.operator is not None and appeal.operator.email:
                recipients.insert(0, appeal.operator.email)
            email_staff(appeal, list(dict.fromkeys(recipients)))
            notified += 1
    return notified


def appeals_close_answered(*, now: datetime.datetime | None = None) -> int:
    """Close appeals whose answer nobody contested within the review window."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=REVIEW_WINDOW_DAYS)
    closed = 0
    for appeal in Appeal.objects.filter(status=Status.ANSWERED, answered_at__lt=cutoff):
        with transaction.atomic():
            current = locked(appeal)
            # Someone may have reopened it since the list was read.
            if lifecycle.refusal(Step.AUTO_CLOSE, appeal=current, actor=people.SYSTEM, now=now):
                continue
            close_locked(current, actor=people.SYSTEM, step=Step.AUTO_CLOSE, now=now)
            closed += 1
    return closed


def attachments_pending_cleanup(*, now: datetime.datetime | None = None) -> int:
    """Remove files that were uploaded for a form nobody sent."""
    cutoff = (now or timezone.now()) - PENDING_TTL
    stale = list(Attachment.objects.filter(appeal=None, uploaded_at__lt=cutoff))
    for attachment in stale:
        default_storage.delete(attachment.file.name)
    Attachment.objects.filter(pk__in=[a.pk for a in stale]).delete()
    return len(stale)
