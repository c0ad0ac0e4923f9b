"""The words every kind's lifecycle refuses with when nothing more particular applies, and
the lifecycle that refuses with them."""

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


def contact_lifecycle(table, **options) -> engine.Lifecycle:
    """A contact kind's lifecycle (`portal.lifecycle.Lifecycle`, `options` as there) that
    refuses with the words above where its table says nothing more particular."""
    return engine.Lifecycle(
        table,
        not_allowed=NOT_ALLOWED,
        wrong_status=engine.wrong_status_message(WRONG_STATUS),
        **options,
    )
