"""The citizen's steps on their appeal: clarify, ask for a review, escalate, confirm.

The caller has checked that this person may see the appeal (its author, or whoever proved
number + e-mail); `lifecycle.TABLE` decides whether the step is open now.
"""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy

from portal.models import User
from portal.workcalendar.selectors import working_days_add
from support.appeals.actions.common import (
    SavedFiles,
    attach,
    close_locked,
    email_staff,
    local_today,
    locked,
    with_files,
)
from support.appeals.history import ring_operator
from support.appeals.lifecycle import LIFECYCLE, Step
from support.appeals.models import OPEN_STATUSES, Appeal, DeadlineKind
from support.appeals.rules import text_clean
from support.centre import people
from support.centre.people import supervisors
from support.centre.uploads import MAX_FILES, TOO_MANY_FILES, CheckedFile


def _fresh_term(appeal: Appeal) -> list[str]:
    """The topic's standard term again, counted from today; the fields it set."""
    appeal.deadline_kind = DeadlineKind.STANDARD
    appeal.deadline_days = appeal.topic.deadline_days
    appeal.due_date = working_days_add(start=local_today(), days=appeal.deadline_days)
    return ["deadline_kind", "deadline_days", "due_date"]


# What the handling operator's open page hears when the citizen writes.
WROTE = {
    Step.CLARIFY: gettext_lazy("Обращение № %(number)s: заявитель ответил"),
    Step.ADD: gettext_lazy("Обращение № %(number)s: дополнение от заявителя"),
}


def _written_with_files(
    step: Step, *, appeal: Appeal, actor: User | None, text: str, files: Sequence[CheckedFile]
) -> Appeal:
    """A citizen's step that carries their words and files; the operator's page rings."""
    text = text_clean(text)
    who = people.citizen(actor)

    def work(saved: SavedFiles) -> Appeal:
        written = locked(appeal)
        with LIFECYCLE.begin(
            step, written, actor=who, fields=["updated_at"], history={"text": text}
        ) as writing:
            if written.attachments.count() + len(files) > MAX_FILES * 2:
                raise ValidationError({"files": TOO_MANY_FILES})
        attach(saved, appeal=written, files=files, event=writing.record)
        ring_operator(written, title=str(WROTE[step]) % {"number": written.number})
        return written

    return with_files(work)


def appeal_clarify(
    *, appeal: Appeal, actor: User | None, text: str, files: Sequence[CheckedFile] = ()
) -> Appeal:
    """The citizen answers the operator's question with text and files."""
    return _written_with_files(Step.CLARIFY, appeal=appeal, actor=actor, text=text, files=files)


def appeal_add(
    *, appeal: Appeal, actor: User | None, text: str, files: Sequence[CheckedFile] = ()
) -> Appeal:
    """The citizen adds words or files to their appeal (the page's form, a reply letter);
    the status and the deadline stay, the operator sees it in the history at once."""
    return _written_with_files(Step.ADD, appeal=appeal, actor=actor, text=text, files=files)


def appeal_request_review(*, appeal: Appeal, actor: User | None, text: str) -> Appeal:
    """ "Запросить пересмотр": the answer was wrong; the appeal goes back to work."""
    text = text_clean(text)
    who = people.citizen(actor)
    with transaction.atomic():
        appeal = locked(appeal)
        with LIFECYCLE.begin(Step.REVIEW, appeal, actor=who, history={"text": text}) as review:
            appeal.review_count += 1
            # A review is a new question about the same matter: a fresh standard term.
            review.fields += ["review_count", *_fresh_term(appeal), "updated_at"]
            review.history["details"] = {"due_date": appeal.due_date.isoformat()}
    return appeal


def _least_busy_supervisor() -> User | None:
    return (
        supervisors()
        .annotate(
            load=Count(
                "appeals_supervised",
                filter=Q(appeals_supervised__status__in=OPEN_STATUSES),
            )
        )
        .order_by("load", "pk")
        .first()
    )


def appeal_escalate(*, appeal: Appeal, actor: User | None, text: str) -> Appeal:
    """Hand the appeal to a supervisor: when it is overdue or after a review."""
    text = text_clean(text)
    who = people.citizen(actor)
    with transaction.atomic():
        appeal = locked(appeal)
        with LIFECYCLE.begin(
            Step.ESCALATE, appeal, actor=who, history={"text": text}
        ) as escalation:
            supervisor = _least_busy_supervisor()
            appeal.escalated = True
            appeal.supervisor = supervisor
            # The supervisor answers within a fresh standard term; the citizen sees the date.
            escalation.fields += ["escalated", "supervisor", *_fresh_term(appeal), "updated_at"]
            escalation.history["details"] = {"due_date": appeal.due_date.isoformat()}
        if supervisor is not None and supervisor.email:
            email_staff(appeal, [supervisor.email], template="escalated")
    return appeal


def appeal_confirm_resolved(*, appeal: Appeal, actor: User | None) -> Appeal:
    """ "Вопрос решён": the citizen closes an answered appeal."""
    who = people.citizen(actor)
    with transaction.atomic():
        appeal = locked(appeal)
        close_locked(appeal, actor=who, step=Step.RESOLVED)
    return appeal
