"""Reading appeals: what a citizen may see, the operators' queue, lookups."""

import datetime
import uuid
from collections.abc import Collection
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from faq.selectors import faq_search
from portal.models import User
from portal.phones import phone_normalise
from support.appeals import access
from support.appeals.models import (
    OPEN_STATUSES,
    Appeal,
    AppealEvent,
    Attachment,
    EventKind,
    Status,
    Topic,
)
from support.centre import people

QUEUE_PER_PAGE = 50
SUGGEST_MIN_LENGTH = 4


def topics_active() -> QuerySet[Topic]:
    return Topic.objects.filter(is_active=True)


def appeal_for_citizen(*, number: str, user: User | None, granted: list[str]) -> Appeal | None:
    """The appeal page's appeal for its author or whoever proved number + e-mail, else None.

    Someone else's looks exactly like a missing one: the view answers 404 for both.
    """
    appeal = Appeal.objects.select_related("topic", "service").filter(number=number).first()
    if appeal is None:
        return None
    if user is not None and user.is_authenticated and appeal.author_id == user.pk:
        return appeal
    if number in granted:
        return appeal
    return None


def appeal_timeline(*, appeal: Appeal, public_only: bool) -> list[AppealEvent]:
    events = appeal.events.select_related("actor").prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("pk"))
    )
    if public_only:
        events = events.filter(is_public=True)
    return list(events)


def clarification_question(*, timeline: list[AppealEvent]) -> AppealEvent | None:
    """The operator's latest question, shown beside the form that answers it."""
    asked = [e for e in timeline if e.step == EventKind.CLARIFICATION]
    return asked[-1] if asked else None


def appeal_files(*, appeal: Appeal) -> list[Attachment]:
    """Files sent with the appeal itself (not with a later step of the history)."""
    return list(appeal.attachments.filter(event=None))


def appeals_of(*, user: User) -> list[Appeal]:
    """A citizen's appeals, newest first (`Appeal.is_overdue` lets the list say so in words)."""
    return list(
        Appeal.objects.filter(author=user).select_related("topic").order_by("-registered_at")[:200]
    )


def appeal_lookup(*, number: str, email: str = "", phone: str = "") -> Appeal | None:
    """Number and the appeal's e-mail or phone (in any spelling) both right, or nothing
    (the caller says the same either way)."""
    number = (number or "").strip()
    email = (email or "").strip()
    try:
        phone = phone_normalise(phone)
    except ValidationError:
        phone = ""
    if not number.isdigit() or not (email or phone):
        return None
    appeal = Appeal.objects.filter(number=number).first()
    if appeal is None:
        return None
    if email and appeal.email and appeal.email.casefold() == email.casefold():
        return appeal
    if phone and appeal.phone == phone:
        return appeal
    return None


def attachment_for(
    *, number: str, key: str, user: User | None, granted: list[str]
) -> Attachment | None:
    """A file of an appeal the person may see as its citizen or as staff, else None."""
    attachment = (
        Attachment.objects.select_related("appeal").filter(appeal__number=number, key=key).first()
    )
    if attachment is None or attachment.appeal is None:
        return None
    appeal = attachment.appeal
    as_citizen = appeal_for_citizen(number=number, user=user, granted=granted) is not None
    as_staff = user is not None and appeal_visible_to_staff(appeal=appeal, user=user)
    return attachment if as_citizen or as_staff else None


def attachments_pending(*, token: uuid.UUID | None, owner: str) -> list[Attachment]:
    """Files this visitor uploaded for this form before sending it."""
    if token is None or not owner:
        return []
    return list(Attachment.objects.filter(appeal=None, pending_token=token, pending_owner=owner))


def attachment_names_pending(*, token: uuid.UUID | None, keys: Collection[uuid.UUID]) -> list[str]:
    """The names of files uploaded for this form, whoever holds them now (a lost session)."""
    if token is None or not keys:
        return []
    return list(
        Attachment.objects.filter(appeal=None, pending_token=token, key__in=keys)
        .order_by("pk")
        .values_list("original_name", flat=True)
    )


# --- Operators ---------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilters:
    status: str = ""
    overdue: bool = False
    topic: int | None = None
    mine: bool = False
    query: str = ""


def appeals_for_staff(*, user: User) -> QuerySet[Appeal]:
    """What a member of staff may see: the queue, the appeal page, its files, the admin.

    The rule is the access policy's (`support.appeals.access.staff_sees_q`).
    """
    return Appeal.objects.filter(access.staff_sees_q(actor=people.staff(user)))


def appeal_visible_to_staff(*, appeal: Appeal, user: User) -> bool:
    return access.staff_sees(appeal, actor=people.staff(user))


def operator_queue(*, user: User, filters: QueueFilters, page: int = 1, today=None):
    """The queue sorted by deadline: a page of appeals in a constant number of queries."""
    today = today or timezone.localdate()
    appeals = appeals_for_staff(user=user).select_related("topic", "operator", "supervisor")
    if filters.status:
        appeals = appeals.filter(status=filters.status)
    else:
        appeals = appeals.filter(status__in=[*OPEN_STATUSES, Status.ANSWERED])
    if filters.overdue:
        appeals = appeals.filter(access.overdue_q(today=today))
    if filters.topic:
        appeals = appeals.filter(topic_id=filters.topic)
    if filters.mine:
        appeals = appeals.filter(operator=user)
    if filters.query:
        query = filters.query.strip()
        appeals = appeals.filter(
            Q(number=query) | Q(email__iexact=query) | Q(subject__icontains=query)
        )
    appeals = appeals.order_by("due_date", "registered_at", "pk")
    paginator = Paginator(appeals, QUEUE_PER_PAGE)
    return paginator.get_page(page)


def appeal_for_staff(*, number: str, user: User) -> Appeal | None:
    return (
        appeals_for_staff(user=user)
        .select_related("topic", "service", "operator", "supervisor", "author")
        .filter(number=number)
        .first()
    )


def queue_counts(*, user: User, today: datetime.date | None = None) -> dict[str, int]:
    """The numbers above the queue: mine open, overdue (what needs attention first)."""
    today = today or timezone.localdate()
    visible = appeals_for_staff(user=user)
    return {
        "mine": visible.filter(operator=user, status__in=OPEN_STATUSES).count(),
        "overdue": visible.filter(access.overdue_q(today=today)).count(),
    }


# --- FAQ while typing ---------------------------------------------------------------------


def appeal_faq_suggestions(*, subject: str, description: str, limit: int = 3):
    """Articles that may answer the question before it is sent."""
    text = " ".join(f"{subject} {description[:300]}".split())
    if len(text) < SUGGEST_MIN_LENGTH:
        return []
    return faq_search(query=text, per_page=limit).hits
