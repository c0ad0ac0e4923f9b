from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatConfig(AppConfig):
    """The live chat: a bot from the knowledge base first, then an operator."""

    name = "support.chat"
    label = "chat"
    verbose_name = _("Онлайн-чат")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out

        from support.chat.events import session_ended

        # Signing out is Django's own flow, not ours: the signal is the only place to
        # learn of it, and all it does is ring the sockets of that session to close.
        user_logged_out.connect(session_ended, dispatch_uid="chat-session-ended")
