from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    """Appeals: the feedback form, numbers, deadlines in working days, the lifecycle."""

    name = "support.appeals"
    label = "appeals"
    verbose_name = _("Обращения")
