from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaintenanceConfig(AppConfig):
    """Technical works: planned and current outages, the banner, the feed."""

    name = "support.maintenance"
    label = "maintenance"
    verbose_name = _("Технические работы")
