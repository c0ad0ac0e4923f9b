"""A period's end after its start, said once for both places that check it: the database's
constraint and the model's validation, which names the end field in the form's error."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import Promise


@dataclass(frozen=True)
class InOrder:
    start: str
    end: str
    message: str | Promise
    # Whole days: a period of one day ends on the day it starts.
    same_allowed: bool = False

    def constraint(self, name: str) -> models.CheckConstraint:
        lookup = "lte" if self.same_allowed else "lt"
        return models.CheckConstraint(
            condition=models.Q(**{f"{self.start}__{lookup}": models.F(self.end)}),
            name=name,
            violation_error_message=self.message,
        )

    def broken(self, item: Any) -> bool:
        """Both ends given, in the wrong order (a missing one is its field's own error)."""
        start, end = getattr(item, self.start), getattr(item, self.end)
        if start is None or end is None:
            return False
        return end < start if self.same_allowed else end <= start

    def check(self, item: Any) -> None:
        """A model's `clean`: the message under the end field."""
        if self.broken(item):
            raise ValidationError({self.end: self.message})
