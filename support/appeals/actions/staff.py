"""The operators' and supervisors' steps: take, assign, clarification, extend, answer,
comment, close. Who may take which step, and when, is decided by `lifecycle.TABLE`; each
step's status, history row and ring are the engine's (`LIFECYCLE`)."""

from collections.abc import Callable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.lifecycle import Transition
from portal.models import User
from portal.workcalendar.selectors import working_days_add
from support.appeals import lifecycle
from support.appeals.actions.common import (
    SavedFiles,
    attach,
    close_locked,
    email_citizen,
    local_today,
    locked,
    staff_actor,
    with_files,
)
from support.appeals.lifecycle import LIFECYCLE, Step
from support.appeals.models import Appeal, AppealEvent, DeadlineKind, Status
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
    with LIFECYCLE.begin(Step.TAKE, appeal, actor=actor, fields=["operator", "updated_at"]) as take:
        appeal.operator = actor.user
        # Taking one's own appeal again changes nothing the citizen sees.
        take.history["is_public"] = take.moved


def _take_if_free(appeal: Appeal, actor: Actor) -> None:
    """An operator who works on a free appeal takes it first, visibly in its history."""
    if (
        actor.role == Role.OPERATOR
        and appeal.operator_id is None
        and not appeal.escalated
        and lifecycle.refusal(Step.TAKE, appeal=appeal, actor=actor) is None
    ):
        _take(appeal, actor)


def _locked_taking_first(step: Step, appeal: Appeal, actor: Actor) -> Appeal:
    """The locked appeal, once `step` is open on it, taken first if it is free: the step
    is checked on what the operator saw, and again by the engine after the take."""
    appeal = locked(appeal)
    lifecycle.step_check(step, appeal=appeal, actor=actor)
    _take_if_free(appeal, actor)
    return appeal


@transaction.atomic
def appeal_take(*, appeal: Appeal, actor: User) -> Appeal:
    who = staff_actor(actor)
    appeal = locked(appeal)
    _take(appeal, who)
    return appeal


@transaction.atomic
def appeal_assign(*, appeal: Appeal, actor: User, operator: User, text: str = "") -> Appeal:
    """A supervisor hands the appeal to someone (or takes it back)."""
    who = staff_actor(actor)
    # The table first: who may not assign learns nothing about who may be assigned.
    lifecycle.step_check(Step.ASSIGN, appeal=appeal, actor=who)
    if not staff_assignable().filter(pk=operator.pk).exists():
        raise ValidationError({"operator": NOT_STAFF})
    appeal = locked(appeal)
    with LIFECYCLE.begin(
        Step.ASSIGN,
        appeal,
        actor=who,
        fields=["operator", "updated_at"],
        history={
            "text": text,
            "details": {"assignee": operator.get_full_name() or operator.username},
            "is_public": False,
        },
    ):
        appeal.operator = operator
    return appeal


def _clarification_term(appeal: Appeal, asking: Transition) -> None:
    if appeal.deadline_kind == DeadlineKind.STANDARD:
        asking.fields += _term_from_registration(
            appeal, DeadlineKind.CLARIFICATION, appeal.topic.clarification_days
        )


def _interagency_term(appeal: Appeal, extending: Transition) -> None:
    extending.fields += _term_from_registration(
        appeal, DeadlineKind.INTERAGENCY, appeal.topic.interagency_days
    )
    extending.history["details"] = {"due_date": appeal.due_date.isoformat()}


# The steps that move the deadline: how (on the appeal, naming the fields in the
# transition), and the e-mail that tells the citizen.
DEADLINE_STEPS: dict[Step, tuple[Callable[[Appeal, Transition], None], str]] = {
    Step.CLARIFICATION: (_clarification_term, "clarification"),
    Step.EXTEND: (_interagency_term, "extended"),
}


def _deadline_step(step: Step, *, appeal: Appeal, actor: User, text: str) -> Appeal:
    moves, email = DEADLINE_STEPS[step]
    text = text_clean(text)
    who = staff_actor(actor)
    with transaction.atomic():
        appeal = _locked_taking_first(step, appeal, who)
        with LIFECYCLE.begin(
            step, appeal, actor=who, fields=["updated_at"], history={"text": text}
        ) as moving:
            moves(appeal, moving)
        email_citizen(appeal, email, moving.record)
    return appeal


def appeal_request_clarification(*, appeal: Appeal, actor: User, text: str) -> Appeal:
    """Ask the citizen for details; the deadline grows to the topic's clarification term."""
    return _deadline_step(Step.CLARIFICATION, appeal=appeal, actor=actor, text=text)


def appeal_extend(*, appeal: Appeal, actor: User, text: str) -> Appeal:
    """Another agency must answer first: the deadline grows to the inter-agency term."""
    return _deadline_step(Step.EXTEND, appeal=appeal, actor=actor, text=text)


def appeal_answer(
    *, appeal: Appeal, actor: User, text: str, files: Sequence[CheckedFile] = ()
) -> Appeal:
    """The answer: shown on the appeal page and sent by e-mail."""
    text = text_clean(text)
    who = staff_actor(actor)

    def work(saved: SavedFiles) -> Appeal:
        answered = _locked_taking_first(Step.ANSWER, appeal, who)
        with LIFECYCLE.begin(
            Step.ANSWER,
            answered,
            actor=who,
            fields=["answer", "answered_at", "updated_at"],
            history={"text": text},
        ) as answering:
            answered.answer = text
            answered.answered_at = timezone.now()
        attach(saved, appeal=answered, files=files, event=answering.record, uploaded_by_staff=True)
        email_citizen(answered, "answered", answering.record)
        return answered

    return with_files(work)


def appeal_comment(*, appeal: Appeal, actor: User, text: str) -> AppealEvent:
    """A note for colleagues; the citizen never sees it."""
    text = text_clean(text)
    who = staff_actor(actor)
    with transaction.atomic():
        commenting = LIFECYCLE.transition(
            Step.COMMENT, locked(appeal), actor=who, history={"text": text, "is_public": False}
        )
    return commenting.record


def appeal_close(*, appeal: Appeal, actor: User, text: str = "") -> Appeal:
    """Staff close an appeal: answered, a duplicate, or no reply to a clarification.

    Closing an appeal that has no answer needs a reason the citizen will read.
    """
    who = staff_actor(actor)
    with transaction.atomic():
        appeal = _locked_taking_first(Step.CLOSE, appeal, who)
        text = text_clean(text, required=appeal.status != Status.ANSWERED)
        event = close_locked(appeal, actor=who, step=Step.CLOSE, text=text)
        email_citizen(appeal, "closed", event)
    return appeal
