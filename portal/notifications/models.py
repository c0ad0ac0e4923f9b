from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import account_link, part_of


class NotificationEvent(models.TextChoices):
    """Why a citizen is told something; preferences are kept per event and channel."""

    STATUS_CHANGED = "status_changed", _("Изменился статус заявки или обращения")
    CLARIFICATION_REQUESTED = "clarification_requested", _("Нужны уточнения")
    ANSWER_GIVEN = "answer_given", _("Дан ответ")
    DEADLINE_EXTENDED = "deadline_extended", _("Продлён срок")
    CHAT_MESSAGE = "chat_message", _("Сообщение в чате, пока вас не было")


class Notification(models.Model):
    """One message in the citizen's inbox (/my/notifications/)."""

    user = account_link(
        _("получатель"), related_name="notifications", on_delete=models.CASCADE, optional=False
    )
    event = models.CharField(_("событие"), max_length=32, choices=NotificationEvent.choices)
    title = models.CharField(_("заголовок"), max_length=200)
    body = models.TextField(_("текст"), blank=True)
    url = models.CharField(_("ссылка"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)
    read_at = models.DateTimeField(_("прочитано"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("уведомление")
        verbose_name_plural = _("уведомления")
        indexes = [models.Index(fields=["user", "-created_at"], name="notifications_inbox")]

    def __str__(self) -> str:
        return self.title


class Channel(models.TextChoices):
    """Where a notification goes. The inbox always gets it; the others as the citizen chose."""

    INBOX = "inbox", _("В личном кабинете")
    EMAIL = "email", _("Электронная почта")
    SMS = "sms", _("SMS")
    # An extension point: a push channel needs a provider (web push keys, a mobile app).
    # Shown as unavailable until `NOTIFICATIONS_PUSH_AVAILABLE` names one.
    PUSH = "push", _("Push-уведомления")


class NotificationPreference(models.Model):
    """A citizen's choice for one event × channel; without a row the default applies."""

    user = account_link(
        _("пользователь"),
        related_name="notification_preferences",
        on_delete=models.CASCADE,
        optional=False,
    )
    event = models.CharField(_("событие"), max_length=32, choices=NotificationEvent.choices)
    channel = models.CharField(_("канал"), max_length=8, choices=Channel.choices)
    enabled = models.BooleanField(_("включено"))

    class Meta:
        verbose_name = _("настройка уведомлений")
        verbose_name_plural = _("настройки уведомлений")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "event", "channel"], name="notifications_preference_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} / {self.channel}: {self.enabled}"


class DeliveryResult(models.TextChoices):
    SENT = "sent", _("отправлено")
    FAILED = "failed", _("ошибка")
    SKIPPED = "skipped", _("не отправлено")


class DeliveryAttempt(models.Model):
    """One try to deliver a notification through one channel, kept for support staff."""

    notification = part_of(Notification, _("уведомление"), related_name="attempts")
    channel = models.CharField(_("канал"), max_length=8, choices=Channel.choices)
    attempt = models.PositiveSmallIntegerField(_("попытка"))
    at = models.DateTimeField(_("время"), auto_now_add=True)
    result = models.CharField(_("результат"), max_length=8, choices=DeliveryResult.choices)
    error = models.TextField(_("ошибка"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("попытка доставки")
        verbose_name_plural = _("попытки доставки")

    def __str__(self) -> str:
        return f"{self.channel} #{self.attempt}: {self.result}"
