from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationEvent(models.TextChoices):
    """Why a citizen is told something; preferences are kept per event and channel."""

    STATUS_CHANGED = "status_changed", _("Изменился статус заявки или обращения")
    CLARIFICATION_REQUESTED = "clarification_requested", _("Нужны уточнения")
    ANSWER_GIVEN = "answer_given", _("Дан ответ")
    DEADLINE_EXTENDED = "deadline_extended", _("Продлён срок")
    CHAT_MESSAGE = "chat_message", _("Сообщение в чате, пока вас не было")


class Notification(models.Model):
    """One message in the citizen's inbox (/my/notifications/)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("получатель"),
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
