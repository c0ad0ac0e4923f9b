from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    """The service catalogue: what the portal offers, where, and what it needs."""

    name = "portal.catalogue"
    label = "catalogue"
    verbose_name = _("Каталог услуг")
