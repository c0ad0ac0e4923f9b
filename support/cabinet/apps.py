from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CabinetConfig(AppConfig):
    """«Мои заявки»: what the citizen has seen of their items (the list itself is a registry)."""

    name = "support.cabinet"
    label = "cabinet"
    verbose_name = _("Личный кабинет")
