"""The ways to reach a person: one definition for the knowledge base and the contact centre.

`faq` (articles say where to turn next) and `support.contacts` (the channels with
their numbers and hours) both speak of channel kinds; they live here, below both,
so the two never drift apart (faq must not import support).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChannelKind(models.TextChoices):
    PHONE = "phone", _("Телефон")
    CHAT = "chat", _("Онлайн-чат")
    EMAIL = "email", _("Электронная почта")
    FEEDBACK = "feedback", _("Форма обратной связи")
    MESSENGER = "messenger", _("Мессенджер")
    CALLBACK = "callback", _("Обратный звонок")
    OFFICE = "office", _("Приёмная")
