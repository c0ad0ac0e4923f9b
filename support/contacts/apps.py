from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    """Contact channels and their hours: data that editors keep, never template text."""

    name = "support.contacts"
    label = "contacts"
    verbose_name = _("Контакты и часы работы")
