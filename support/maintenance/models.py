import datetime

from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.periods import InOrder

ENDS_BEFORE_START = _("Работы должны заканчиваться позже, чем начинаются.")
IN_ORDER = InOrder("starts_at", "ends_at", ENDS_BEFORE_START)
DEFAULT_ANNOUNCE_HOURS = 24
MAX_ANNOUNCE_HOURS = 14 * 24


class TechnicalWorkQuerySet(models.QuerySet["TechnicalWork"]):
    def published(self) -> "TechnicalWorkQuerySet":
        return self.filter(is_published=True)


class TechnicalWork(models.Model):
    """A planned or current outage: when, what is affected, what happens to started work."""

    # title_en and the other languages' columns come from translation.py (modeltranslation).
    title = models.CharField(_("заголовок"), max_length=200)
    description = models.TextField(_("что происходит"), max_length=2000)
    starts_at = models.DateTimeField(_("начало"), help_text=_("Московское время."))
    ends_at = models.DateTimeField(_("окончание"), help_text=_("Московское время."))
    services = models.ManyToManyField(
        "catalogue.Service",
        blank=True,
        related_name="technical_works",
        verbose_name=_("затронутые услуги"),
        help_text=_("Пусто — затронут весь портал или его часть, указанная в описании."),
    )
    started_work = models.TextField(
        _("что будет с начатым"),
        max_length=1000,
        help_text=_(
            "Что станет с черновиками, начатыми заявлениями и платежами, и что делать гражданину."
        ),
    )
    unavailable = models.CharField(
        _("что будет недоступно"),
        max_length=300,
        blank=True,
        help_text=_(
            "Коротко, для предупреждения на всех страницах: например, «вход на портал, подача "
            "заявлений и оплата». Пусто — затронутые услуги или описание."
        ),
    )
    announce_hours = models.PositiveSmallIntegerField(
        _("объявить заранее, часов"),
        default=DEFAULT_ANNOUNCE_HOURS,
        validators=[MaxValueValidator(MAX_ANNOUNCE_HOURS)],
        help_text=_(
            "За сколько часов до начала показывать предупреждение на всех страницах портала "
            "(0 — только во время работ). Не больше 14 суток."
        ),
    )
    is_published = models.BooleanField(_("опубликовано"), default=True)
    created_at = models.DateTimeField(_("создано"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("обновлено"), auto_now=True)

    objects = TechnicalWorkQuerySet.as_manager()
    # `history` (simple_history) is registered in translation.py, after the translated
    # columns exist, so that the history keeps every language.

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("технические работы")
        verbose_name_plural = _("технические работы")
        constraints = [IN_ORDER.constraint("maintenance_ends_after_start")]
        indexes = [models.Index(fields=["ends_at", "starts_at"], name="maintenance_window")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("support:status") + f"#work-{self.pk}"

    def clean(self) -> None:
        IN_ORDER.check(self)

    @property
    def announced_from(self) -> datetime.datetime:
        """From when every page warns of the work ahead."""
        return self.starts_at - datetime.timedelta(hours=self.announce_hours)

    def is_active_at(self, now) -> bool:
        return self.starts_at <= now < self.ends_at

    def is_announced_at(self, now) -> bool:
        """Ahead of its start, inside the editors' lead time."""
        return self.announced_from <= now < self.starts_at
