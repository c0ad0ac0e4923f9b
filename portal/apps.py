from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The services portal underneath the help section: users, preferences, search."""

    name = "portal"
    verbose_name = _("Портал")
