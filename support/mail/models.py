from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import link_to, part_of

MAIL_TOPIC_SLUG = "email"


class State(models.TextChoices):
    RECEIVED = "received", _("Получено, ждёт разбора")
    PROCESSING = "processing", _("Разбирается")
    APPEAL = "appeal", _("Зарегистрировано обращение")
    REPLY = "reply", _("Добавлено к обращению")
    REPORT = "report", _("Отчёт о недоставке")
    AUTOMATIC = "automatic", _("Автоматическое письмо, без ответа")
    DUPLICATE = "duplicate", _("Повтор уже полученного письма")
    LIMITED = "limited", _("Слишком много писем от отправителя")
    FAILED = "failed", _("Не удалось разобрать")


class Trust(models.TextChoices):
    VERIFIED = "verified", _("Адрес подтверждён почтовым сервером (DKIM или DMARC)")
    UNVERIFIED = "unverified", _("Адрес не подтверждён: проверки DKIM и DMARC не пройдены")
    UNKNOWN = "unknown", _("Почтовый сервер не сообщил результатов проверки")
    UNCHECKED = "unchecked", _("Не проверялся: проверки почтового сервера не настроены")


# What staff must look at: the letter became nothing by itself.
NEEDS_STAFF = (State.FAILED, State.LIMITED)


class InboundLetter(models.Model):
    """One letter as it arrived, stored raw before anything reads it."""

    received_at = models.DateTimeField(_("получено"), default=timezone.now, db_index=True)
    raw = models.BinaryField(_("письмо целиком"))
    size = models.PositiveIntegerField(_("размер, байт"))
    envelope_from = models.CharField(_("отправитель (конверт)"), max_length=320, blank=True)
    envelope_to = models.JSONField(_("получатели (конверт)"), default=list)
    peer = models.CharField(_("передал сервер"), max_length=100, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=998, blank=True, db_index=True)

    state = models.CharField(
        _("состояние"), max_length=12, choices=State.choices, default=State.RECEIVED
    )
    attempts = models.PositiveSmallIntegerField(_("попыток разбора"), default=0)
    error = models.TextField(_("ошибка разбора"), blank=True)
    processed_at = models.DateTimeField(_("разобрано"), null=True, blank=True)

    # Filled by the parser.
    sender = models.EmailField(_("от кого"), max_length=254, blank=True, db_index=True)
    sender_domain = models.CharField(_("домен отправителя"), max_length=253, blank=True)
    subject = models.CharField(_("тема письма"), max_length=300, blank=True)
    text = models.TextField(_("текст письма"), blank=True)
    trust = models.CharField(
        _("подлинность отправителя"), max_length=10, choices=Trust.choices, blank=True
    )
    trust_results = models.CharField(_("результаты проверок"), max_length=300, blank=True)
    refused_files = models.JSONField(_("непринятые файлы"), default=list, blank=True)
    appeal = link_to("appeals.Appeal", _("обращение"), related_name="+")

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("входящее письмо")
        verbose_name_plural = _("входящие письма")
        indexes = [
            models.Index(fields=["state", "received_at"], name="mail_inbound_state"),
            models.Index(fields=["sender_domain", "received_at"], name="mail_inbound_domain"),
        ]

    def __str__(self) -> str:
        return f"{self.sender or self.envelope_from or '?'}: {self.subject or '—'}"


class OutboundLetter(models.Model):
    """A letter we sent about an appeal: its Message-ID threads the citizen's reply."""

    appeal = part_of("appeals.Appeal", _("обращение"), related_name="+")
    message_id = models.CharField(_("Message-ID"), max_length=998, unique=True)
    template = models.CharField(_("письмо"), max_length=30)
    recipient = models.EmailField(_("кому"), max_length=254)
    sent_at = models.DateTimeField(_("отправлено"), default=timezone.now)

    class Meta:
        ordering = ["sent_at", "pk"]
        verbose_name = _("исходящее письмо")
        verbose_name_plural = _("исходящие письма")

    def __str__(self) -> str:
        return self.message_id
