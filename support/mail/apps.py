from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailConfig(AppConfig):
    """The mail channel: letters to the support address become appeals and threads."""

    name = "support.mail"
    label = "mail"
    verbose_name = _("Почта")

    def ready(self) -> None:
        from support.appeals.letters import letter_preparer_register
        from support.mail.threads import letter_thread

        letter_preparer_register(letter_thread)
