from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallbacksConfig(AppConfig):
    """Call-backs: a citizen books a time, an operator calls them back."""

    name = "support.callbacks"
    label = "callbacks"
    verbose_name = _("Обратные звонки")
