from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The services portal underneath the help section: users, preferences, search."""

    name = "portal"
    verbose_name = _("Портал")

    def ready(self) -> None:
        # Uploads (appeal attachments: 5 × 10 MB) must stream to disk under daphne too.
        from portal.server import daphne_answer_long_request_lines, daphne_skip_form_parsing

        daphne_skip_form_parsing()
        # A URL over 16 KB gets 414 instead of a dropped connection.
        daphne_answer_long_request_lines()
