from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallbacksConfig(AppConfig):
    """Call-backs: a citizen books a time, an operator calls them back."""

    name = "support.callbacks"
    label = "callbacks"
    verbose_name = _("Обратные звонки")

    def ready(self) -> None:
        from django.apps import apps

        # "Мои заявки" lists every kind through its registry; until the cabinet is
        # installed the call-backs are reachable from the booking page.
        if apps.is_installed("support.cabinet"):
            from support.cabinet.registry import tracker_kind_register
            from support.callbacks.tracker import CallbackKind

            tracker_kind_register(CallbackKind())
