from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    """Appeals: the feedback form, numbers, deadlines in working days, the lifecycle."""

    name = "support.appeals"
    label = "appeals"
    verbose_name = _("Обращения")

    def ready(self) -> None:
        # The attachments (5 × 10 MB) must stream to disk in the daphne process too.
        from support.appeals.server import daphne_skip_form_parsing

        daphne_skip_form_parsing()
