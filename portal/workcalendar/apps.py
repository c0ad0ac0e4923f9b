from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkCalendarConfig(AppConfig):
    """Editors' corrections to the production calendar (transferred and shortened days)."""

    name = "portal.workcalendar"
    label = "workcalendar"
    verbose_name = _("Производственный календарь")
