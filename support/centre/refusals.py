"""The words every kind's lifecycle refuses with when nothing more particular applies, and
the lifecycle that refuses with them, with the situation its conditions look at."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portal import lifecycle as engine
from support.centre.people import Actor

WRONG_STATUS = _(
    "В этом статусе так сделать нельзя. Обновите страницу: возможно, статус изменился."
)
NOT_ALLOWED = _("Это действие вам недоступно.")


def messages_of(error: PermissionDenied | ValidationError) -> list[str]:
    """The words of a refusal, whichever kind it is."""
    return engine.messages_of(error, fallback=NOT_ALLOWED)


def refusal_tell(
    request: HttpRequest, error: PermissionDenied | ValidationError, *, about: str = ""
) -> None:
    """A refusal's words as one error message on the next page (`about` names the item on a
    page of many: "№ 123: ")."""
    messages.error(request, about + " ".join(messages_of(error)))


def step_tell(
    request: HttpRequest, take: Callable[[], object], *, done: str | Promise, about: str = ""
) -> bool:
    """A step with no form to fill (one button): take it, and tell on the next page how it
    went, the refusal's words or `done`. Whether it was taken."""
    try:
        take()
    except (PermissionDenied, ValidationError) as error:
        refusal_tell(request, error, about=about)
        return False
    messages.success(request, f"{about}{done}")
    return True


Item = TypeVar("Item")


@dataclass(frozen=True)
class Situation(Generic[Item]):
    """What a contact kind's conditions look at: the item (an appeal, a call-back, a
    conversation), who takes the step, and when."""

    item: Item
    actor: Actor
    now: datetime.datetime

    @property
    def today(self) -> datetime.date:
        return timezone.localdate(self.now)


def contact_lifecycle(table, **options) -> engine.Lifecycle:
    """A contact kind's lifecycle (`portal.lifecycle.Lifecycle`, `options` as there) whose
    conditions look at a `Situation` and that refuses with the words above where its table
    says nothing more particular."""
    return engine.Lifecycle(
        table,
        situation=Situation,
        not_allowed=NOT_ALLOWED,
        wrong_status=engine.wrong_status_message(WRONG_STATUS),
        **options,
    )
