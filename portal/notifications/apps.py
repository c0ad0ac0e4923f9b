from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """What the portal tells a citizen: the inbox in the cabinet, and the channels they chose."""

    name = "portal.notifications"
    label = "notifications"
    verbose_name = _("Уведомления")
