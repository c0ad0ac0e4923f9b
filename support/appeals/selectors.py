"""Reading appeals: what a citizen may see, the operators' queue, lookups."""

import datetime
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from faq.selectors import faq_search
from portal.catalogue.models import Service
from portal.models import User
from support.appeals.models import (
    OPEN_STATUSES,
    Appeal,
    AppealEvent,
    Attachment,
    Status,
    Topic,
)
from support.appeals.roles import user_is_operator, user_is_supervisor

QUEUE_PER_PAGE = 50
SUGGEST_MIN_LENGTH = 4


def topics_active() -> QuerySet[Topic]:
    return Topic.objects.filter(is_active=True)


def service_by_code(*, code: str) -> Service | None:
    """A published catalogue service by the number citizens see (the "Задать вопрос" link)."""
    code = (code or "").strip()
    if not code or not code.isdigit() or len(code) > 20:
        return None
    return Service.objects.published().filter(code=code).first()


def appeal_can_view(*, appeal: Appeal, user: User | None, granted: list[str]) -> bool:
    """The author, whoever proved number + e-mail in this session, or staff."""
    if user is not None and user.is_authenticated:
        if appeal.author_id == user.pk:
            return True
        if user_is_supervisor(user) or user_is_operator(user):
            return True
    return appeal.number in granted


def appeal_for_citizen(*, number: str, user: User | None, granted: list[str]) -> Appeal:
    """The appeal page's appeal; someone else's looks exactly like a missing one (404)."""
    appeal = Appeal.objects.select_related("topic", "service").filter(number=number).first()
    if appeal is None:
        raise Http404
    if user is not None and user.is_authenticated and appeal.author_id == user.pk:
        return appeal
    if number in granted:
        return appeal
    raise Http404


def appeal_timeline(*, appeal: Appeal, public_only: bool) -> list[AppealEvent]:
    events = appeal.events.select_related("actor").prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("pk"))
    )
    if public_only:
        events = events.filter(is_public=True)
    return list(events)


def appeal_files(*, appeal: Appeal) -> list[Attachment]:
    """Files sent with the appeal itself (not with a later step of the history)."""
    return list(appeal.attachments.filter(event=None))


def appeals_of(*, user: User, today: datetime.date | None = None) -> list[Appeal]:
    """A citizen's appeals, newest first, each with `is_overdue` for the list to say so in words."""
    today = today or timezone.localdate()
    appeals = list(
        Appeal.objects.filter(author=user).select_related("topic").order_by("-registered_at")[:200]
    )
    for appeal in appeals:
        appeal.is_overdue = appeal.is_overdue_on(today)
    return appeals


def appeal_lookup(*, number: str, email: str) -> Appeal | None:
    """Number and e-mail both right, or nothing (the caller says the same either way)."""
    number = (number or "").strip()
    email = (email or "").strip()
    if not number.isdigit() or not email:
        return None
    appeal = Appeal.objects.filter(number=number).first()
    if appeal is None or appeal.email.casefold() != email.casefold():
        return None
    return appeal


def attachment_for(*, number: str, key: str, user: User | None, granted: list[str]) -> Attachment:
    attachment = (
        Attachment.objects.select_related("appeal").filter(appeal__number=number, key=key).first()
    )
    if attachment is None or attachment.appeal is None:
        raise Http404
    if not appeal_can_view(appeal=attachment.appeal, user=user, granted=granted):
        raise Http404
    return attachment


# --- Operators ---------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilters:
    status: str = ""
    overdue: bool = False
    topic: int | None = None
    mine: bool = False
    query: str = ""


def _visible_to_staff(user: User) -> QuerySet[Appeal]:
    appeals = Appeal.objects.all()
    if user_is_supervisor(user):
        return appeals
    # Operators see free appeals and their own; escalated ones belong to supervisors.
    return appeals.filter(Q(operator=user) | Q(operator__isnull=True, escalated=False))


def operator_queue(*, user: User, filters: QueueFilters, page: int = 1, today=None):
    """The queue sorted by deadline: a page of appeals in a constant number of queries."""
    today = today or timezone.localdate()
    appeals = _visible_to_staff(user).select_related("topic", "operator", "supervisor")
    if filters.status:
        appeals = appeals.filter(status=filters.status)
    else:
        appeals = appeals.filter(status__in=[*OPEN_STATUSES, Status.ANSWERED])
    if filters.overdue:
        appeals = appeals.overdue(today=today)
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


def appeal_for_staff(*, number: str, user: User) -> Appeal:
    appeal = (
        _visible_to_staff(user)
        .select_related("topic", "service", "operator", "supervisor", "author")
        .filter(number=number)
        .first()
    )
    if appeal is None:
        raise Http404
    return appeal


def queue_counts(*, user: User, today: datetime.date | None = None) -> dict[str, int]:
    """The numbers above the queue: mine open, overdue (what needs attention first)."""
    today = today or timezone.localdate()
    visible = _visible_to_staff(user)
    return {
        "mine": visible.filter(operator=user, status__in=OPEN_STATUSES).count(),
        "overdue": visible.overdue(today=today).count(),
    }


# --- FAQ while typing ---------------------------------------------------------------------


def appeal_faq_suggestions(*, subject: str, description: str, limit: int = 3):
    """Articles that may answer the question before it is sent."""
    text = " ".join(f"{subject} {description[:300]}".split())
    if len(text) < SUGGEST_MIN_LENGTH:
        return []
    return faq_search(query=text, per_page=limit).hits
