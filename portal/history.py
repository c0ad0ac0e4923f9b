"""The history row every lifecycle writes, whatever its kind.

Appeals, call-backs and service applications keep their histories in their own tables
(each with its own extra columns: an appeal's text and who may read it, the slot a call-back
pointed at), but every table has these columns and speaks one vocabulary: `step` is the
value of the step in the kind's lifecycle table that made the row, or
`portal.lifecycle.REGISTER` for the row written when the item was created.
`portal.lifecycle.Lifecycle` writes them (docs/architecture.md, "Lifecycle tables").
"""

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class StepRecord(models.Model):
    step = models.CharField(_("шаг"), max_length=24)
    from_status = models.CharField(_("был статус"), max_length=20, blank=True)
    to_status = models.CharField(_("стал статус"), max_length=20, blank=True)

    class Meta:
        abstract = True

    @classmethod
    def step_write(cls, moving: Any, *, item: str, **columns: Any) -> "StepRecord":
        """The row of a step the engine takes (a `portal.lifecycle.Transition`): the item
        (under the kind's field name `item`), the step and the statuses it went between;
        `columns` are the kind's own, and may say the statuses otherwise."""
        return cls.objects.create(
            **{
                item: moving.item,
                "step": moving.step,
                "from_status": moving.before,
                "to_status": moving.after,
                **columns,
            }
        )
