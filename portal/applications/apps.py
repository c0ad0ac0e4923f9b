from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    """Service applications as the departments' systems report them."""

    name = "portal.applications"
    label = "applications"
    verbose_name = _("Заявления на услуги")
