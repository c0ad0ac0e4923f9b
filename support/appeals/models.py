import datetime
import uuid

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from portal.history import StepRecord
from portal.models import account_link, link_to, part_of
from support.appeals.rules import (
    CLARIFICATION_DAYS,
    CLOSED_WITHOUT_REVIEW,
    DEADLINE_DAYS,
    DEADLINE_USUAL,
    INTERAGENCY_DAYS,
    MAX_DESCRIPTION,
    MAX_SUBJECT,
)

NUMBER_LENGTH = 8


class Topic(models.Model):
    """A common topic of appeals, with its answer deadline as editable policy."""

    slug = models.SlugField(_("адрес"), max_length=60, unique=True)
    name = models.CharField(_("название"), max_length=150)
    description = models.CharField(_("пояснение"), max_length=300, blank=True)
    deadline_days = models.PositiveSmallIntegerField(
        _("срок ответа, рабочих дней"), default=DEADLINE_DAYS, help_text=DEADLINE_USUAL
    )
    clarification_days = models.PositiveSmallIntegerField(
        _("срок при уточнении, рабочих дней"),
        default=CLARIFICATION_DAYS,
        help_text=_("Продлевается до этого срока, когда оператор запрашивает уточнения."),
    )
    interagency_days = models.PositiveSmallIntegerField(
        _("срок с участием ведомств, рабочих дней"),
        default=INTERAGENCY_DAYS,
        help_text=_("Когда нужен ответ другого ведомства."),
    )
    order = models.PositiveIntegerField(_("порядок"), default=0)
    is_active = models.BooleanField(_("показывать в форме"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("тема обращений")
        verbose_name_plural = _("темы обращений")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline_days__gte=1)
                & models.Q(clarification_days__gte=models.F("deadline_days"))
                & models.Q(interagency_days__gte=models.F("clarification_days")),
                name="appeals_topic_deadlines_grow",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    REGISTERED = "registered", _("Зарегистрировано")
    IN_PROGRESS = "in_progress", _("В работе")
    CLARIFICATION = "clarification", _("Требуются уточнения")
    ANSWERED = "answered", _("Дан ответ")
    CLOSED = "closed", _("Закрыто")


# The operator's move: these count towards "overdue". Waiting for the citizen does not.
AWAITING_STAFF = (Status.REGISTERED, Status.IN_PROGRESS)
OPEN_STATUSES = (Status.REGISTERED, Status.IN_PROGRESS, Status.CLARIFICATION)


class AnswerChannel(models.TextChoices):
    EMAIL = "email", _("По электронной почте")
    PHONE = "phone", _("Звонком по телефону")
    CABINET = "cabinet", _("В личном кабинете")


class DeadlineKind(models.TextChoices):
    STANDARD = "standard", _("Обычный срок")
    CLARIFICATION = "clarification", _("Продлён для уточнений")
    INTERAGENCY = "interagency", _("Продлён для запроса в другое ведомство")


class Appeal(models.Model):
    """A citizen's written question or complaint, with a number and a deadline."""

    number = models.CharField(_("номер"), max_length=NUMBER_LENGTH, unique=True, editable=False)
    author = account_link(_("автор"), related_name="appeals")
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="appeals", verbose_name=_("тема")
    )
    service = link_to("catalogue.Service", _("услуга"), related_name="+")
    subject = models.CharField(_("кратко о вопросе"), max_length=MAX_SUBJECT)
    description = models.TextField(_("описание"), max_length=MAX_DESCRIPTION)
    phone = models.CharField(_("телефон"), max_length=12, blank=True)
    # Blank only for an appeal answered by a call (`rules.email_required`).
    email = models.EmailField(_("e-mail"), max_length=254, blank=True)
    answer_channel = models.CharField(
        _("как ответить"), max_length=10, choices=AnswerChannel.choices
    )
    # 152-FZ: consent is a separate act; we keep when it was given and to which text.
    consent_at = models.DateTimeField(_("согласие дано"))
    consent_version = models.CharField(_("версия текста согласия"), max_length=20)

    status = models.CharField(
        _("статус"), max_length=14, choices=Status.choices, default=Status.REGISTERED
    )
    registered_at = models.DateTimeField(_("зарегистрировано"), default=timezone.now)
    due_date = models.DateField(_("ответить до"))
    deadline_kind = models.CharField(
        _("срок"), max_length=14, choices=DeadlineKind.choices, default=DeadlineKind.STANDARD
    )
    deadline_days = models.PositiveSmallIntegerField(_("срок, рабочих дней"))

    operator = account_link(_("оператор"), related_name="appeals_assigned")
    escalated = models.BooleanField(_("передано руководителю"), default=False)
    supervisor = account_link(_("руководитель"), related_name="appeals_supervised")
    answer = models.TextField(_("ответ"), blank=True)
    answered_at = models.DateTimeField(_("дата ответа"), null=True, blank=True)
    closed_at = models.DateTimeField(_("закрыто"), null=True, blank=True)
    review_count = models.PositiveSmallIntegerField(_("запросов пересмотра"), default=0)
    overdue_notified_on = models.DateField(
        _("уведомление о просрочке отправлено"), null=True, blank=True, editable=False
    )
    # A repeated submission (double click, client retry) is recognised by its key, scoped
    # to who sent it (`portal.visitors.visitor_key`) and checked against what was sent.
    idempotency_key = models.UUIDField(null=True, blank=True, editable=False)
    idempotency_owner = models.CharField(max_length=64, blank=True, editable=False)
    idempotency_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)

    class Meta:
        ordering = ["-registered_at"]
        verbose_name = _("обращение")
        verbose_name_plural = _("обращения")
        permissions = [
            ("work_appeal", _("Может работать с обращениями (оператор)")),
            ("supervise_appeal", _("Может назначать обращения и видеть все (руководитель)")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_owner", "idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="appeals_idempotency_per_owner",
            )
        ]
        indexes = [
            # The queue is read in deadline order; status rides along in the index so the
            # filter and the counts never touch the rows (no status-first index: SQLite
            # would pick it and sort tens of thousands of rows for one page).
            models.Index(fields=["due_date", "registered_at", "status"], name="appeals_queue"),
            models.Index(
                fields=["topic", "due_date", "registered_at", "status"], name="appeals_topic_queue"
            ),
            models.Index(
                fields=["operator", "due_date", "registered_at", "status"], name="appeals_operator"
            ),
            models.Index(fields=["author", "-registered_at"], name="appeals_author"),
        ]

    def __str__(self) -> str:
        return f"№ {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("appeals:detail", kwargs={"number": self.number})

    def get_operator_url(self) -> str:
        return reverse("appeals:operator-detail", kwargs={"number": self.number})

    @property
    def is_overdue(self) -> bool:
        """Overdue today in Moscow (the pages' question; the queue filters in SQL)."""
        from support.appeals.access import overdue  # the policy reads this model

        return overdue(self, today=timezone.localdate())

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


def attachment_path(instance: "Attachment", filename: str) -> str:
    # Never the citizen's name on disk: a random name, outside any served folder.
    return f"appeals/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file a citizen (or an operator) attached; checked by content, not by name."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    appeal = models.ForeignKey(
        Appeal,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("обращение"),
    )
    event = link_to("AppealEvent", _("к записи истории"), related_name="attachments")
    # Files accepted before the form as a whole was valid wait here, tied to the
    # form's token and to who uploaded them (see attachments_stash).
    pending_token = models.UUIDField(null=True, blank=True, db_index=True, editable=False)
    pending_owner = models.CharField(max_length=64, blank=True, editable=False)
    # The client address that uploaded a pending file: a new cookie is a new visitor, so
    # the address caps unsent files too (cleared once the appeal is sent).
    pending_address = models.CharField(max_length=45, blank=True, editable=False, db_index=True)
    file = models.FileField(_("файл"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("имя файла"), max_length=120)
    content_type = models.CharField(_("тип"), max_length=100)
    size = models.PositiveIntegerField(_("размер, байт"))
    uploaded_at = models.DateTimeField(_("загружено"), auto_now_add=True)
    uploaded_by_staff = models.BooleanField(_("от сотрудника"), default=False)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("вложение")
        verbose_name_plural = _("вложения")

    def __str__(self) -> str:
        return self.original_name

    def get_download_url(self) -> str:
        assert self.appeal is not None
        return reverse("appeals:attachment", kwargs={"number": self.appeal.number, "key": self.key})


class EventKind(models.TextChoices):
    """What a history row says happened: the step of `support.appeals.lifecycle.Step` that
    made it (the same values: one vocabulary for the table and its history), the
    registration, and the facts the system notes for staff."""

    REGISTER = "register", _("Обращение зарегистрировано")
    TAKE = "take", _("Взято в работу")
    ASSIGN = "assign", _("Назначен оператор")
    CLARIFICATION = "clarification", _("Запрошены уточнения")
    CLARIFY = "clarify", _("Уточнения получены")
    ADD = "add", _("Дополнение от заявителя")
    EXTEND = "extend", _("Срок продлён")
    ANSWER = "answer", _("Дан ответ")
    REVIEW = "review", _("Запрошен пересмотр")
    ESCALATE = "escalate", _("Передано руководителю")
    CLOSE = "close", _("Закрыто")
    RESOLVED = "resolved", _("Закрыто")
    AUTO_CLOSE = "auto_close", _("Закрыто")
    COMMENT = "comment", _("Внутренний комментарий")
    OVERDUE = "overdue", _("Срок ответа истёк")
    NOTE = "note", _("Служебная отметка")
    UNDELIVERED = "undelivered", _("Письмо заявителю не доставлено")


class ActorKind(models.TextChoices):
    CITIZEN = "citizen", _("Заявитель")
    STAFF = "staff", _("Сотрудник")
    SYSTEM = "system", _("Система")


class AppealEvent(StepRecord):
    """One line of an appeal's history: who did what, when and why."""

    appeal = part_of(Appeal, _("обращение"), related_name="events")
    step = models.CharField(_("событие"), max_length=24, choices=EventKind.choices)
    actor = account_link(_("сотрудник или заявитель"), related_name="+")
    actor_kind = models.CharField(_("роль"), max_length=8, choices=ActorKind.choices)
    created_at = models.DateTimeField(_("когда"), default=timezone.now)
    from_status = models.CharField(
        _("был статус"), max_length=14, choices=Status.choices, blank=True
    )
    to_status = models.CharField(
        _("стал статус"), max_length=14, choices=Status.choices, blank=True
    )
    # What a person wrote (an answer, a reason); the system's own sentences are built
    # from `details` when shown, so each reader gets them in their language.
    text = models.TextField(_("текст"), blank=True)
    details = models.JSONField(_("подробности"), default=dict, blank=True)
    is_public = models.BooleanField(_("видно заявителю"), default=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("запись истории")
        verbose_name_plural = _("история обращений")
        indexes = [models.Index(fields=["appeal", "created_at"], name="appeals_event_appeal")]

    def __str__(self) -> str:
        return f"{self.appeal}: {self.get_step_display()}"

    @property
    def new_status_label(self) -> str:
        """The status it led to, unless the step's own name already says it ("Дан ответ")."""
        if not self.to_status:
            return ""
        label = self.get_to_status_display()
        return "" if label == self.get_step_display() else label

    def note(self) -> str:
        """The system's words about this step, in the language of whoever reads them."""
        details = self.details or {}
        if details.get("due_date"):
            date = date_format(datetime.date.fromisoformat(details["due_date"]), "j E Y")
            if self.step == EventKind.EXTEND:
                return _("Новый срок ответа: %(date)s.") % {"date": date}
            return _("Ответ подготовим до %(date)s.") % {"date": date}
        if details.get("assignee"):
            return _("Назначен: %(name)s.") % {"name": details["assignee"]}
        if self.step == EventKind.RESOLVED:
            return str(_("Заявитель подтвердил, что вопрос решён."))
        if self.step == EventKind.AUTO_CLOSE:
            return str(CLOSED_WITHOUT_REVIEW)
        return ""
