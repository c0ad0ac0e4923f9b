from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    """The contact centre: the help hub and everything that reaches a person."""

    name = "support"
    verbose_name = _("Поддержка")
