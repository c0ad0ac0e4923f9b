from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarException(models.Model):
    """A day on which the official calendar differs from what `holidays.RU` knows.

    The library only knows published decrees and guesses later years; a decree
    published in autumn, a regional day off or a shortened pre-holiday day is
    entered here and wins over the library.
    """

    date = models.DateField(_("дата"), unique=True)
    is_working_day = models.BooleanField(
        _("рабочий день"),
        help_text=_("Отметьте, если день рабочий (например, перенесённая рабочая суббота)."),
    )
    is_shortened = models.BooleanField(
        _("сокращённый день"),
        default=False,
        help_text=_("Предпраздничный день, короче на час. Остаётся рабочим."),
    )
    note = models.CharField(
        _("основание"), max_length=250, blank=True, help_text=_("Например: постановление №…")
    )
    updated_at = models.DateTimeField(_("обновлено"), auto_now=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("исключение календаря")
        verbose_name_plural = _("исключения календаря")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_shortened=False) | models.Q(is_working_day=True),
                name="workcalendar_shortened_is_working",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y}: {self.kind_label}"

    @property
    def kind_label(self) -> str:
        if self.is_shortened:
            return str(_("сокращённый рабочий день"))
        return str(_("рабочий день") if self.is_working_day else _("выходной день"))
