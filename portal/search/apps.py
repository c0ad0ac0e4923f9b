from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """The search index shared by the FAQ and the service catalogue."""

    name = "portal.search"
    label = "search"
    verbose_name = _("Поиск")
