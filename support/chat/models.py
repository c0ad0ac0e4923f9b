"""Conversations and their messages; every message is stored before anyone is told of it."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import account_link, link_to, part_of
from support.centre.owners import AccountOrVisitor
from support.chat.rules import MAX_TEXT


class Status(models.TextChoices):
    BOT = "bot", _("Отвечает бот")
    WAITING = "waiting", _("В очереди к оператору")
    OPERATOR = "operator", _("С оператором")
    CLOSED = "closed", _("Закрыт")


OPEN_STATUSES = (Status.BOT, Status.WAITING, Status.OPERATOR)


class SenderKind(models.TextChoices):
    CITIZEN = "citizen", _("Вы")
    BOT = "bot", _("Бот")
    OPERATOR = "operator", _("Оператор")
    SYSTEM = "system", _("Система")


class Conversation(AccountOrVisitor):
    """One chat of one citizen (an account's or a visitor's: `AccountOrVisitor`), from the
    bot's first answer to the rating."""

    user = account_link(_("гражданин"), related_name="chat_conversations", on_delete=models.CASCADE)
    status = models.CharField(
        _("статус"), max_length=10, choices=Status.choices, default=Status.BOT, db_index=True
    )
    language = models.CharField(_("язык"), max_length=8, default="ru")
    topic = models.CharField(_("тема"), max_length=200, blank=True)
    operator = account_link(_("оператор"), related_name="chat_conversations_handled")
    priority = models.PositiveSmallIntegerField(_("приоритет"), default=0)
    created_at = models.DateTimeField(_("начат"), default=timezone.now)
    queued_at = models.DateTimeField(_("в очереди с"), null=True, blank=True)
    retried_at = models.DateTimeField(_("запрос повторён"), null=True, blank=True)
    taken_at = models.DateTimeField(_("оператор подключился"), null=True, blank=True)
    closed_at = models.DateTimeField(_("закрыт"), null=True, blank=True)
    resolution = models.TextField(_("итог"), max_length=MAX_TEXT, blank=True)
    rating = models.PositiveSmallIntegerField(_("оценка"), null=True, blank=True)
    rating_comment = models.TextField(_("комментарий к оценке"), max_length=1000, blank=True)
    # The last sequence number given out: a message takes the next one under the row's lock.
    last_seq = models.PositiveIntegerField(default=0, editable=False)
    citizen_read_seq = models.PositiveIntegerField(default=0, editable=False)
    operator_read_seq = models.PositiveIntegerField(default=0, editable=False)
    # A visitor's hand-off: who they are and where an operator's answer reaches them when
    # they are not on the page (`support.centre.contacts`); an account needs none.
    contact_name = models.CharField(_("имя посетителя"), max_length=100, blank=True)
    contact_email = models.EmailField(_("e-mail посетителя"), max_length=254, blank=True)
    contact_phone = models.CharField(_("телефон посетителя"), max_length=12, blank=True)
    contact_consent_at = models.DateTimeField(_("согласие дано"), null=True, blank=True)
    # The last message a letter or an SMS to the visitor covered: one at a time until read.
    contact_sent_seq = models.PositiveIntegerField(default=0, editable=False)
    appeal = link_to("appeals.Appeal", _("оставленное сообщение"), related_name="+")

    class Meta(AccountOrVisitor.Meta):
        verbose_name = _("чат")
        verbose_name_plural = _("чаты")
        ordering = ["-created_at", "-pk"]
        constraints = [
            *AccountOrVisitor.Meta.constraints,
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="chat_rating_1_to_5",
            ),
            # Two tabs of one visitor starting at once get one conversation.
            models.UniqueConstraint(
                fields=["visitor"],
                condition=Q(user__isnull=True, status__in=list(OPEN_STATUSES)),
                name="chat_one_open_per_visitor",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.get_status_display()})"

    @property
    def number(self) -> str:
        return f"Ч-{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def has_contacts(self) -> bool:
        return bool(self.contact_email or self.contact_phone)


def chat_file_path(instance: "Message", filename: str) -> str:
    # A random name, never the citizen's, under MEDIA_ROOT which nothing serves directly.
    return f"chat/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Message(models.Model):
    """One line of the transcript, numbered within its conversation."""

    conversation = part_of(Conversation, _("чат"), related_name="messages")
    seq = models.PositiveIntegerField(_("номер"))
    sender_kind = models.CharField(_("кто"), max_length=10, choices=SenderKind.choices)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The id the sender's client made up: a resend after a lost connection carries the
    # same one and finds the stored message instead of adding a second.
    client_id = models.CharField(max_length=64, blank=True)
    text = models.TextField(_("текст"), max_length=MAX_TEXT, blank=True)
    # Bot answers: the articles found, [{"title", "url", "answer", "lang" when shown
    # untranslated}], and what to offer next.
    data = models.JSONField(default=dict, blank=True)
    staff_only = models.BooleanField(_("видно только сотрудникам"), default=False)
    created_at = models.DateTimeField(_("отправлено"), default=timezone.now)
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(_("файл"), upload_to=chat_file_path, max_length=200, blank=True)
    file_name = models.CharField(_("имя файла"), max_length=120, blank=True)
    file_type = models.CharField(_("тип файла"), max_length=100, blank=True)
    file_size = models.PositiveIntegerField(_("размер, байт"), null=True, blank=True)

    class Meta:
        verbose_name = _("сообщение чата")
        verbose_name_plural = _("сообщения чата")
        ordering = ["conversation", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "seq"], name="chat_message_seq"),
            models.UniqueConstraint(
                fields=["conversation", "sender_kind", "client_id"],
                condition=~Q(client_id=""),
                name="chat_message_client_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.conversation_id}#{self.seq}"


class CannedAnswer(models.Model):
    """A ready answer operators insert with one click; editors keep them in the admin."""

    title = models.CharField(_("название"), max_length=100)
    text = models.TextField(_("текст"), max_length=MAX_TEXT)
    is_active = models.BooleanField(_("показывать"), default=True)
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        verbose_name = _("готовый ответ")
        verbose_name_plural = _("готовые ответы")
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title


class Presence(models.Model):
    """An open socket: operators online are counted from these, and a citizen with none
    is away (an operator's message then goes to their inbox too)."""

    channel_name = models.CharField(max_length=200, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    is_operator = models.BooleanField(default=False)
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("открытое соединение")
        verbose_name_plural = _("открытые соединения")

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.channel_name}"
