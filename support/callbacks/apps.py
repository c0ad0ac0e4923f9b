from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallbacksConfig(AppConfig):
    """Call-backs: a citizen books a time, an operator calls them back."""

    name = "support.callbacks"
    label = "callbacks"
    verbose_name = _("Обратные звонки")

    def ready(self) -> None:
        # "Мои заявки" lists every kind through its registry. (It used to register only
        # when "support.cabinet" was an installed app, which it never is: the cabinet is a
        # package of the support app, so call-backs were never listed.)
        from support.cabinet.registry import tracker_kind_register
        from support.callbacks.tracker import CallbackKind

        tracker_kind_register(CallbackKind())
