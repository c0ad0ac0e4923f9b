"""The operators' and supervisors' steps: take, assign, clarification, extend, answer,
comment, close. Who may take which step, and when, is decided by `lifecycle.TABLE`."""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import User
from portal.workcalendar.selectors import working_days_add
from support.appeals import lifecycle
from support.appeals.actions.common import (
    SavedFiles,
    attach,
    close_locked,
    email_citizen,
    event_add,
    local_today,
    locked_for,
    staff_actor,
    with_files,
)
from support.appeals.lifecycle import Step, status_after
from support.appeals.models import Appeal, AppealEvent, DeadlineKind, EventKind, Status
from support.appeals.rules import text_clean
from support.centre.people import Actor, Role, staff_assignable
from support.centre.uploads import CheckedFile

NOT_STAFF = _("Назначить можно только оператора или руководителя.")


def _term_from_registration(appeal: Appeal, kind: str, days: int) -> list[str]:
    """A longer term, still counted from the day the appeal was registered; fields set."""
    appeal.deadline_kind = kind
    appeal.deadline_days = days
    appeal.due_date = working_days_add(start=local_today(appeal.registered_at), days=days)
    return ["deadline_kind", "deadline_days", "due_date"]


def _take(appeal: Appeal, actor: Actor) -> None:
    before = appeal.status
    appeal.operator = actor.user
    appeal.status = status_after(Step.TAKE, before)
    appeal.save(update_fields=["operator", "status", "updated_at"])
    event_add(
        appeal,
        kind=EventKind.TAKEN,
        actor=actor,
        from_status=before,
        is_public=before != appeal.status,
    )


def _take_if_free(appeal: Appeal, actor: Actor) -> None:
    """An operator who works on a free appeal takes it first, visibly in its history."""
    if actor.role == Role.OPERATOR and appeal.operator_id is None and not appeal.escalated:
        _take(appeal, actor)


@transaction.atomic
def appeal_take(*, appeal: Appeal, actor: User) -> Appeal:
    who = staff_actor(actor)
    appeal = locked_for(Step.TAKE, appeal, who)
    _take(appeal, who)
    return appeal


@transaction.atomic
def appeal_assign(*, appeal: Appeal, actor: User, operator: User, text: str = "") -> Appeal:
    """A supervisor hands the appeal to someone (or takes it back)."""
    who = staff_actor(actor)
    lifecycle.step_check(Step.ASSIGN, appeal=appeal, actor=who)
    if not staff_assignable().filter(pk=operator.pk).exists():
        raise ValidationError({"operator": NOT_STAFF})
    appeal = locked_for(Step.ASSIGN, appeal, who)
    before = appeal.status
    appeal.operator = operator
    appeal.status = status_after(Step.ASSIGN, before)
    appeal.save(update_fields=["operator", "status", "updated_at"])
    event_add(
        appeal,
        kind=EventKind.ASSIGNED,
        actor=who,
        from_status=before,
        text=text,
        details={"assignee": operator.get_full_name() or operator.username},
        is_public=False,
    )
    return appeal


def appeal_request_clarification(*, appeal: Appeal, actor: User, text: str) -> Appeal:
    """Ask the citizen for details; the deadline grows to the topic's clarification term."""
    text = text_clean(text)
    who = staff_actor(actor)
    with transaction.atomic():
        appeal = locked_for(Step.CLARIFICATION, appeal, who)
        _take_if_free(appeal, who)
        before = appeal.status
        appeal.status = status_after(Step.CLARIFICATION, before)
        fields = ["status", "updated_at"]
        if appeal.deadline_kind == DeadlineKind.STANDARD:
            fields += _term_from_registration(
                appeal, DeadlineKind.CLARIFICATION, appeal.topic.clarification_days
            )
        appeal.save(update_fields=fields)
        event = event_add(
            appeal,
            kind=EventKind.CLARIFICATION_REQUESTED,
            actor=who,
            from_status=before,
            text=text,
        )
        email_citizen(appeal, "clarification", event)
    return appeal


def appeal_extend(*, appeal: Appeal, actor: User, text: str) -> Appeal:
    """Another agency must answer first: the deadline grows to the inter-agency term."""
    text = text_clean(text)
    who = staff_actor(actor)
    with transaction.atomic():
        appeal = locked_for(Step.EXTEND, appeal, who)
        _take_if_free(appeal, who)
        fields = _term_from_registration(
            appeal, DeadlineKind.INTERAGENCY, appeal.topic.interagency_days
        )
        appeal.save(update_fields=[*fields, "updated_at"])
        event = event_add(
            appeal,
            kind=EventKind.EXTENDED,
            actor=who,
            text=text,
            details={"due_date": appeal.due_date.isoformat()},
        )
        email_citizen(appeal, "extended", event)
    return appeal


def appeal_answer(
    *, appeal: Appeal, actor: User, text: str, files: Sequence[CheckedFile] = ()
) -> Appeal:
    """The answer: shown on the appeal page and sent by e-mail."""
    text = text_clean(text)
    who = staff_actor(actor)

    def work(saved: SavedFiles) -> Appeal:
        answered = locked_for(Step.ANSWER, appeal, who)
        _take_if_free(answered, who)
        before = answered.status
        answered.status = status_after(Step.ANSWER, before)
        answered.answer = text
        answered.answered_at = timezone.now()
        answered.save(update_fields=["status", "answer", "answered_at", "updated_at"])
        event = event_add(
            answered, kind=EventKind.ANSWERED, actor=who, from_status=before, text=text
        )
        attach(saved, appeal=answered, files=files, event=event, uploaded_by_staff=True)
        email_citizen(answered, "answered", event)
        return answered

    return with_files(work)


def appeal_comment(*, appeal: Appeal, actor: User, text: str) -> AppealEvent:
    """A note for colleagues; the citizen never sees it."""
    text = text_clean(text)
    who = staff_actor(actor)
    lifecycle.step_check(Step.COMMENT, appeal=appeal, actor=who)
    return event_add(appeal, kind=EventKind.COMMENT, actor=who, text=text, is_public=False)


def appeal_close(*, appeal: Appeal, actor: User, text: str = "") -> Appeal:
    """Staff close an appeal: answered, a duplicate, or no reply to a clarification.

    Closing an appeal that has no answer needs a reason the citizen will read.
    """
    who = staff_actor(actor)
    with transaction.atomic():
        appeal = locked_for(Step.CLOSE, appeal, who)
        text = text_clean(text, required=appeal.status != Status.ANSWERED)
        _take_if_free(appeal, who)
        event = close_locked(appeal, actor=who, step=Step.CLOSE, text=text)
        email_citizen(appeal, "closed", event)
    return appeal
