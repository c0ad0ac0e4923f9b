"""The words every kind's lifecycle refuses with when nothing more particular applies."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from portal import lifecycle as engine

WRONG_STATUS = _(
    "В этом статусе так сделать нельзя. Обновите страницу: возможно, статус изменился."
)
NOT_ALLOWED = _("Это действие вам недоступно.")


def messages_of(error: PermissionDenied | ValidationError) -> list[str]:
    """The words of a refusal, whichever kind it is."""
    return engine.messages_of(error, fallback=NOT_ALLOWED)
