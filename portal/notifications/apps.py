from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """What the portal tells a citizen: the inbox in the cabinet, and the channels they chose."""

    name = "portal.notifications"
    label = "notifications"
    verbose_name = _("Уведомления")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out

        # Infrastructure, not domain flow: a signed-out page must stop hearing the
        # person's events, wherever the logout came from (the view, the admin, allauth).
        user_logged_out.connect(_close_sockets, dispatch_uid="notifications-close-sockets")


def _close_sockets(sender, request, user, **kwargs) -> None:
    from portal.live import user_logout_send

    if user is None:
        return
    session = getattr(request, "session", None)
    user_logout_send(user_id=user.pk, session_key=session.session_key if session else None)
