"""Writing appeals: registration, the lifecycle, files, notifications.

Every action is one transaction; e-mails are enqueued only after it commits.
"""

import datetime
import hashlib
import secrets
import uuid
from collections.abc import Callable, Sequence
from typing import TypeVar

import phonenumbers
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.catalogue.models import Service
from portal.models import User
from portal.workcalendar.selectors import working_days_add
from support.appeals import tasks
from support.appeals.models import (
    AWAITING_STAFF,
    CLOSED_AUTOMATICALLY,
    CLOSED_BY_CITIZEN,
    NUMBER_LENGTH,
    OPEN_STATUSES,
    ActorKind,
    AnswerChannel,
    Appeal,
    AppealEvent,
    Attachment,
    DeadlineKind,
    EventKind,
    Status,
    Topic,
    attachment_path,
)
from support.appeals.roles import (
    staff_assignable,
    supervisors,
    user_is_operator,
    user_is_supervisor,
)
from support.appeals.uploads import MAX_FILES, TOO_MANY_FILES, CheckedFile

CONSENT_VERSION = "2026-01"
MAX_SUBJECT = 200
MAX_DESCRIPTION = 5000
MAX_TEXT = 5000
REVIEW_WINDOW_DAYS = 30  # calendar days after the answer
AUTO_CLOSE_AFTER_DAYS = 30
PENDING_TTL = datetime.timedelta(hours=24)

PHONE_INVALID = _(
    "Введите российский номер телефона, например +7 916 123-45-67 или 8 (495) 123-45-67."
)
CONSENT_REQUIRED = _("Без согласия на обработку персональных данных мы не сможем ответить.")
CABINET_NEEDS_ACCOUNT = _("Ответ в личном кабинете возможен только после входа на портал.")
PHONE_NEEDED_FOR_CALL = _("Укажите телефон, чтобы мы могли позвонить.")
TOPIC_UNKNOWN = _("Выберите тему из списка.")
TEXT_REQUIRED = _("Напишите текст.")
DESCRIPTION_TOO_LONG = _("Описание не длиннее 5000 символов. Подробности можно приложить файлом.")
TEXT_TOO_LONG = _("Текст не длиннее 5000 символов.")
WRONG_STATUS = _(
    "В этом статусе так сделать нельзя. Обновите страницу: возможно, статус изменился."
)
REVIEW_WINDOW_PASSED = _("Пересмотр можно запросить в течение 30 дней после ответа.")
ESCALATION_NOT_YET = _(
    "Передать обращение руководителю можно, когда срок ответа истёк или после запроса пересмотра."
)
ALREADY_ESCALATED = _("Обращение уже передано руководителю.")
ALREADY_INTERAGENCY = _("Срок уже продлён до максимального.")
NOT_STAFF = _("Назначить можно только оператора или руководителя.")
NOT_YOURS = _("Это обращение ведёт другой оператор.")


# --- Helpers -------------------------------------------------------------------------


def owner_key_for(*, user: User | None, session_key: str) -> str:
    """Who uploaded a pending file, without storing the session key itself."""
    if user is not None and user.is_authenticated:
        return f"u{user.pk}"
    return "s" + hashlib.sha256(session_key.encode()).hexdigest()[:40]


def phone_normalise(raw: str) -> str:
    """Any usual Russian writing ("8 (916) 123-45-67", "+7916…", "916…") to +7XXXXXXXXXX."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, "RU")
    except phonenumbers.NumberParseException:
        raise ValidationError(PHONE_INVALID, code="phone") from None
    if number.country_code != 7 or not phonenumbers.is_valid_number(number):
        raise ValidationError(PHONE_INVALID, code="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _text(value: str, *, field: str, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: TEXT_REQUIRED})
    if len(value) > MAX_TEXT:
        raise ValidationError({field: TEXT_TOO_LONG})
    return value


def _local_today(now: datetime.datetime | None = None) -> datetime.date:
    return timezone.localdate(now or timezone.now())


def _new_number() -> str:
    # Random, not sequential: a number must not tell how many appeals there are
    # or let anyone guess the neighbour's.
    low = 10 ** (NUMBER_LENGTH - 1)
    return str(low + secrets.randbelow(9 * low))


def _on_commit(callback: Callable[[], object]) -> None:
    transaction.on_commit(callback)


def _email_citizen(appeal: Appeal, template: str, event: AppealEvent | None = None) -> None:
    appeal_id, event_id = appeal.pk, event.pk if event else None
    _on_commit(
        lambda: tasks.appeal_citizen_email.enqueue(
            appeal_id=appeal_id, template=template, event_id=event_id
        )
    )


def _event(
    appeal: Appeal,
    *,
    kind: str,
    actor: User | None,
    actor_kind: str,
    from_status: str = "",
    text: str = "",
    details: dict | None = None,
    is_public: bool = True,
    at: datetime.datetime | None = None,
) -> AppealEvent:
    return AppealEvent.objects.create(
        appeal=appeal,
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_kind=actor_kind,
        from_status=from_status,
        to_status=appeal.status if from_status and from_status != appeal.status else "",
        text=text,
        details=details or {},
        is_public=is_public,
        created_at=at or timezone.now(),
    )


class _SavedFiles:
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


_T = TypeVar("_T")


def _attach(saved: _SavedFiles, *, files: Sequence[CheckedFile], **fields) -> list[Attachment]:
    """Write checked files and their rows; `fields` say whose they are (appeal or pending)."""
    attachments = []
    for checked in files:
        attachment = Attachment(
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            **fields,
        )
        attachment.file.name = saved.save(checked.upload)
        attachment.save()
        attachments.append(attachment)
    return attachments


def _with_files(work: Callable[[_SavedFiles], _T]) -> _T:
    """Run `work` in one transaction; files it wrote disappear if it fails."""
    saved = _SavedFiles()
    try:
        with transaction.atomic():
            return work(saved)
    except BaseException:
        saved.remove()
        raise


# --- Pending uploads --------------------------------------------------------------------


def attachments_pending(*, token: uuid.UUID | None, owner: str) -> list[Attachment]:
    if token is None:
        return []
    return list(Attachment.objects.filter(appeal=None, pending_token=token, pending_owner=owner))


def attachments_stash(
    *, token: uuid.UUID, owner: str, files: Sequence[CheckedFile]
) -> list[Attachment]:
    """Keep files that passed the checks while another field needs correcting."""
    if len(attachments_pending(token=token, owner=owner)) + len(files) > MAX_FILES:
        raise ValidationError({"files": TOO_MANY_FILES})
    return _with_files(
        lambda saved: _attach(saved, files=files, pending_token=token, pending_owner=owner)
    )


def attachment_unstash(*, token: uuid.UUID, owner: str, key: uuid.UUID) -> bool:
    """The citizen removed a file they had attached before sending."""
    attachment = Attachment.objects.filter(
        appeal=None, pending_token=token, pending_owner=owner, key=key
    ).first()
    if attachment is None:
        return False
    name = attachment.file.name
    attachment.delete()
    _on_commit(lambda: default_storage.delete(name))
    return True


def attachments_pending_cleanup(*, now: datetime.datetime | None = None) -> int:
    """Remove files that were uploaded for a form nobody sent (run daily)."""
    cutoff = (now or timezone.now()) - PENDING_TTL
    stale = list(Attachment.objects.filter(appeal=None, uploaded_at__lt=cutoff))
    for attachment in stale:
        default_storage.delete(attachment.file.name)
    Attachment.objects.filter(pk__in=[a.pk for a in stale]).delete()
    return len(stale)


# --- Registration -----------------------------------------------------------------------


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
    pending_token: uuid.UUID | None = None,
    pending_owner: str = "",
    idempotency_key: uuid.UUID | None = None,
    now: datetime.datetime | None = None,
) -> Appeal:
    """Register an appeal with its files, or nothing; a repeated key returns the first one."""
    if idempotency_key is not None:
        existing = Appeal.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
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
    pending = attachments_pending(token=pending_token, owner=pending_owner)
    if len(pending) + len(files) > MAX_FILES:
        errors.setdefault("files", []).append(TOO_MANY_FILES)
    if errors:
        raise ValidationError(errors)

    now = now or timezone.now()
    appeal = Appeal(
        author=author,
        topic=topic,
        service=service,
        subject=subject.strip(),
        description=description.strip(),
        phone=phone,
        email=email.strip(),
        answer_channel=answer_channel,
        consent_at=now,
        consent_version=CONSENT_VERSION,
        registered_at=now,
        deadline_days=topic.deadline_days,
        due_date=working_days_add(start=_local_today(now), days=topic.deadline_days),
        idempotency_key=idempotency_key,
    )
    if len(appeal.description) > MAX_DESCRIPTION:
        raise ValidationError({"description": DESCRIPTION_TOO_LONG})
    appeal.full_clean(exclude=["number", "idempotency_key"])

    def work(saved: _SavedFiles) -> Appeal:
        for _attempt in range(10):
            appeal.number = _new_number()
            if not Appeal.objects.filter(number=appeal.number).exists():
                break
        appeal.save()
        _event(
            appeal,
            kind=EventKind.REGISTERED,
            actor=author,
            actor_kind=ActorKind.CITIZEN,
            details={"due_date": appeal.due_date.isoformat()},
            at=now,
        )
        _attach(saved, appeal=appeal, files=files)
        if pending:
            Attachment.objects.filter(pk__in=[a.pk for a in pending]).update(
                appeal=appeal, pending_token=None, pending_owner=""
            )
        _email_citizen(appeal, "registered")
        return appeal

    try:
        return _with_files(work)
    except IntegrityError:
        # A double click raced us to the same key: the first request's appeal wins.
        if idempotency_key is not None:
            existing = Appeal.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing
        raise


# --- The lifecycle: staff -------------------------------------------------------------------


def _locked(appeal: Appeal) -> Appeal:
    """Re-read the row under a lock so two operators never both move it."""
    locked = Appeal.objects.select_for_update().select_related("topic").get(pk=appeal.pk)
    return locked


def _require_status(appeal: Appeal, allowed: Sequence[str]) -> None:
    if appeal.status not in allowed:
        raise ValidationError(WRONG_STATUS, code="status")


def _ensure_handler(appeal: Appeal, actor: User) -> None:
    """The assigned operator or a supervisor; an operator may pick up a free appeal."""
    if user_is_supervisor(actor):
        return
    if not user_is_operator(actor):
        raise PermissionDenied
    if appeal.operator_id == actor.pk:
        return
    if appeal.operator_id is None and not appeal.escalated:
        _take(appeal, actor)
        return
    raise PermissionDenied(NOT_YOURS)


def _take(appeal: Appeal, actor: User) -> None:
    before = appeal.status
    appeal.operator = actor
    if appeal.status == Status.REGISTERED:
        appeal.status = Status.IN_PROGRESS
    appeal.save(update_fields=["operator", "status", "updated_at"])
    _event(
        appeal,
        kind=EventKind.TAKEN,
        actor=actor,
        actor_kind=ActorKind.STAFF,
        from_status=before,
        is_public=before != appeal.status,
    )


@transaction.atomic
def appeal_take(*, appeal: Appeal, actor: User) -> Appeal:
    appeal = _locked(appeal)
    _require_status(appeal, OPEN_STATUSES)
    if appeal.operator_id == actor.pk:
        return appeal
    if not user_is_supervisor(actor):
        if not user_is_operator(actor):
            raise PermissionDenied
        if appeal.operator_id is not None or appeal.escalated:
            raise PermissionDenied(NOT_YOURS)
    _take(appeal, actor)
    return appeal


@transaction.atomic
def appeal_assign(*, appeal: Appeal, actor: User, operator: User, reason: str = "") -> Appeal:
    """A supervisor hands the appeal to someone (or takes it back)."""
    if not user_is_supervisor(actor):
        raise PermissionDenied
    if not staff_assignable().filter(pk=operator.pk).exists():
        raise ValidationError({"operator": NOT_STAFF})
    appeal = _locked(appeal)
    _require_status(appeal, (*OPEN_STATUSES, Status.ANSWERED))
    before = appeal.status
    appeal.operator = operator
    if appeal.status == Status.REGISTERED:
        appeal.status = Status.IN_PROGRESS
    appeal.save(update_fields=["operator", "status", "updated_at"])
    name = operator.get_full_name() or operator.username
    _event(
        appeal,
        kind=EventKind.ASSIGNED,
        actor=actor,
        actor_kind=ActorKind.STAFF,
        from_status=before,
        text=reason,
        details={"assignee": name},
        is_public=False,
    )
    return appeal


def appeal_request_clarification(*, appeal: Appeal, actor: User, text: str) -> Appeal:
    """Ask the citizen for details; the deadline grows to the topic's clarification term."""
    text = _text(text, field="text")
    with transaction.atomic():
        appeal = _locked(appeal)
        _require_status(appeal, (Status.REGISTERED, Status.IN_PROGRESS))
        _ensure_handler(appeal, actor)
        before = appeal.status
        appeal.status = Status.CLARIFICATION
        fields = ["status", "updated_at"]
        if appeal.deadline_kind == DeadlineKind.STANDARD:
            days = appeal.topic.clarification_days
            appeal.deadline_kind = DeadlineKind.CLARIFICATION
            appeal.deadline_days = days
            appeal.due_date = working_days_add(start=_local_today(appeal.registered_at), days=days)
            fields += ["deadline_kind", "deadline_days", "due_date"]
        appeal.save(update_fields=fields)
        event = _event(
            appeal,
            kind=EventKind.CLARIFICATION_REQUESTED,
            actor=actor,
            actor_kind=ActorKind.STAFF,
            from_status=before,
            text=text,
        )
        _email_citizen(appeal, "clarification", event)
    return appeal


def appeal_extend(*, appeal: Appeal, actor: User, reason: str) -> Appeal:
    """Another agency must answer first: the deadline grows to the inter-agency term."""
    reason = _text(reason, field="reason")
    with transaction.atomic():
        appeal = _locked(appeal)
        _require_status(appeal, OPEN_STATUSES)
        _ensure_handler(appeal, actor)
        if appeal.deadline_kind == DeadlineKind.INTERAGENCY:
            raise ValidationError(ALREADY_INTERAGENCY, code="extended")
        days = appeal.topic.interagency_days
        appeal.deadline_kind = DeadlineKind.INTERAGENCY
        appeal.deadline_days = days
        appeal.due_date = working_days_add(start=_local_today(appeal.registered_at), days=days)
        appeal.save(update_fields=["deadline_kind", "deadline_days", "due_date", "updated_at"])
        event = _event(
            appeal,
            kind=EventKind.EXTENDED,
            actor=actor,
            actor_kind=ActorKind.STAFF,
            text=reason,
            details={"due_date": appeal.due_date.isoformat()},
        )
        _email_citizen(appeal, "extended", event)
    return appeal


def appeal_answer(
    *, appeal: Appeal, actor: User, text: str, files: Sequence[CheckedFile] = ()
) -> Appeal:
    """The answer: shown on the appeal page and sent by e-mail."""
    text = _text(text, field="text")

    def work(saved: _SavedFiles) -> Appeal:
        locked = _locked(appeal)
        _require_status(locked, OPEN_STATUSES)
        _ensure_handler(locked, actor)
        before = locked.status
        locked.status = Status.ANSWERED
        locked.answer = text
        locked.answered_at = timezone.now()
        locked.save(update_fields=["status", "answer", "answered_at", "updated_at"])
        event = _event(
            locked,
            kind=EventKind.ANSWERED,
            actor=actor,
            actor_kind=ActorKind.STAFF,
            from_status=before,
            text=text,
        )
        _attach(saved, appeal=locked, files=files, event=event, uploaded_by_staff=True)
        _email_citizen(locked, "answered", event)
        return locked

    return _with_files(work)


def appeal_comment(*, appeal: Appeal, actor: User, text: str) -> AppealEvent:
    """A note for colleagues; the citizen never sees it."""
    text = _text(text, field="text")
    if not (user_is_operator(actor) or user_is_supervisor(actor)):
        raise PermissionDenied
    return _event(
        appeal,
        kind=EventKind.COMMENT,
        actor=actor,
        actor_kind=ActorKind.STAFF,
        text=text,
        is_public=False,
    )


def appeal_close(*, appeal: Appeal, actor: User, reason: str) -> Appeal:
    """Staff close an appeal (answered, a duplicate, or no reply to a clarification)."""
    with transaction.atomic():
        appeal = _locked(appeal)
        _require_status(appeal, (*OPEN_STATUSES, Status.ANSWERED))
        reason = _text(reason, field="reason", required=appeal.status != Status.ANSWERED)
        _ensure_handler(appeal, actor)
        event = _close(appeal, actor=actor, actor_kind=ActorKind.STAFF, text=reason)
        _email_citizen(appeal, "closed", event)
    return appeal


def _close(
    appeal: Appeal, *, actor: User | None, actor_kind: str, text: str = "", closed_by: str = ""
) -> AppealEvent:
    before = appeal.status
    appeal.status = Status.CLOSED
    appeal.closed_at = timezone.now()
    appeal.save(update_fields=["status", "closed_at", "updated_at"])
    return _event(
        appeal,
        kind=EventKind.CLOSED,
        actor=actor,
        actor_kind=actor_kind,
        from_status=before,
        text=text,
        details={"closed_by": closed_by} if closed_by else None,
    )


# --- The lifecycle: the citizen -------------------------------------------------------------


def appeal_clarify(
    *, appeal: Appeal, actor: User | None, text: str, files: Sequence[CheckedFile] = ()
) -> Appeal:
    """The citizen answers the operator's question with text and files."""
    text = _text(text, field="text")

    def work(saved: _SavedFiles) -> Appeal:
        locked = _locked(appeal)
        _require_status(locked, (Status.CLARIFICATION,))
        if locked.attachments.count() + len(files) > MAX_FILES * 2:
            raise ValidationError({"files": TOO_MANY_FILES})
        before = locked.status
        locked.status = Status.IN_PROGRESS
        locked.save(update_fields=["status", "updated_at"])
        event = _event(
            locked,
            kind=EventKind.CLARIFICATION_GIVEN,
            actor=actor,
            actor_kind=ActorKind.CITIZEN,
            from_status=before,
            text=text,
        )
        _attach(saved, appeal=locked, files=files, event=event)
        return locked

    return _with_files(work)


def review_allowed(appeal: Appeal, *, now: datetime.datetime | None = None) -> bool:
    return (
        appeal.status == Status.ANSWERED
        and appeal.answered_at is not None
        and (now or timezone.now()) - appeal.answered_at
        <= datetime.timedelta(days=REVIEW_WINDOW_DAYS)
    )


def escalation_allowed(appeal: Appeal, *, today: datetime.date | None = None) -> bool:
    if appeal.escalated or appeal.status == Status.CLOSED:
        return False
    overdue = appeal.is_overdue_on(today or _local_today())
    return overdue or appeal.review_count > 0


def appeal_request_review(*, appeal: Appeal, actor: User | None, reason: str) -> Appeal:
    """ "Запросить пересмотр": the answer was wrong; the appeal goes back to work."""
    reason = _text(reason, field="reason")
    with transaction.atomic():
        appeal = _locked(appeal)
        _require_status(appeal, (Status.ANSWERED,))
        if not review_allowed(appeal):
            raise ValidationError(REVIEW_WINDOW_PASSED, code="review_window")
        before = appeal.status
        appeal.status = Status.IN_PROGRESS
        appeal.review_count += 1
        # A review is a new question about the same matter: a fresh standard term.
        appeal.deadline_kind = DeadlineKind.STANDARD
        appeal.deadline_days = appeal.topic.deadline_days
        appeal.due_date = working_days_add(start=_local_today(), days=appeal.topic.deadline_days)
        appeal.save(
            update_fields=[
                "status",
                "review_count",
                "deadline_kind",
                "deadline_days",
                "due_date",
                "updated_at",
            ]
        )
        _event(
            appeal,
            kind=EventKind.REVIEW_REQUESTED,
            actor=actor,
            actor_kind=ActorKind.CITIZEN,
            from_status=before,
            text=reason,
        )
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


def appeal_escalate(*, appeal: Appeal, actor: User | None, reason: str) -> Appeal:
    """Hand the appeal to a supervisor: when it is overdue or after a review."""
    reason = _text(reason, field="reason")
    with transaction.atomic():
        appeal = _locked(appeal)
        if appeal.escalated:
            raise ValidationError(ALREADY_ESCALATED, code="escalated")
        if not escalation_allowed(appeal):
            raise ValidationError(ESCALATION_NOT_YET, code="escalation")
        before = appeal.status
        supervisor = _least_busy_supervisor()
        appeal.escalated = True
        appeal.supervisor = supervisor
        if appeal.status == Status.ANSWERED:
            appeal.status = Status.IN_PROGRESS
        appeal.save(update_fields=["escalated", "supervisor", "status", "updated_at"])
        _event(
            appeal,
            kind=EventKind.ESCALATED,
            actor=actor,
            actor_kind=ActorKind.CITIZEN,
            from_status=before,
            text=reason,
        )
        if supervisor is not None and supervisor.email:
            recipients = [supervisor.email]
            appeal_id = appeal.pk
            _on_commit(
                lambda: tasks.appeal_staff_email.enqueue(
                    appeal_id=appeal_id, recipients=recipients, template="escalated"
                )
            )
    return appeal


def appeal_confirm_resolved(*, appeal: Appeal, actor: User | None) -> Appeal:
    """ "Вопрос решён": the citizen closes an answered appeal."""
    with transaction.atomic():
        appeal = _locked(appeal)
        _require_status(appeal, (Status.ANSWERED,))
        _close(appeal, actor=actor, actor_kind=ActorKind.CITIZEN, closed_by=CLOSED_BY_CITIZEN)
    return appeal


# --- Background ------------------------------------------------------------------------------


def appeals_notify_overdue(*, today: datetime.date | None = None) -> int:
    """Tell the operator and supervisors about overdue appeals, at most once a day each."""
    today = today or _local_today()
    supervisor_emails = [email for email in supervisors().values_list("email", flat=True) if email]
    notified = 0
    candidates = (
        Appeal.objects.overdue(today=today)
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
            first_time = appeal.overdue_notified_on is None
            if first_time:
                _event(
                    appeal,
                    kind=EventKind.OVERDUE,
                    actor=None,
                    actor_kind=ActorKind.SYSTEM,
                    is_public=False,
                )
            recipients = list(supervisor_emails)
            if appeal.operator is not None and appeal.operator.email:
                recipients.insert(0, appeal.operator.email)
            recipients = list(dict.fromkeys(recipients))
            appeal_id = appeal.pk
            _on_commit(
                lambda appeal_id=appeal_id, recipients=recipients: tasks.appeal_staff_email.enqueue(
                    appeal_id=appeal_id, recipients=recipients
                )
            )
            notified += 1
    return notified


def appeals_close_answered(*, now: datetime.datetime | None = None) -> int:
    """Close appeals whose answer nobody contested within the review window."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=AUTO_CLOSE_AFTER_DAYS)
    closed = 0
    for appeal in Appeal.objects.filter(status=Status.ANSWERED, answered_at__lt=cutoff):
        with transaction.atomic():
            locked = _locked(appeal)
            if locked.status != Status.ANSWERED:
                continue
            _close(locked, actor=None, actor_kind=ActorKind.SYSTEM, closed_by=CLOSED_AUTOMATICALLY)
            closed += 1
    return closed
