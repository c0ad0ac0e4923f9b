from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ChannelKind(models.TextChoices):
    PHONE = "phone", _("Телефон")
    CHAT = "chat", _("Онлайн-чат")
    EMAIL = "email", _("Электронная почта")
    FEEDBACK = "feedback", _("Форма обратной связи")
    MESSENGER = "messenger", _("Мессенджер")
    CALLBACK = "callback", _("Обратный звонок")
    OFFICE = "office", _("Приёмная")


class ContactChannel(models.Model):
    """One way to reach the contact centre, with its own hours.

    The seed article names different numbers and hours in different places: the
    facts live here so that editors correct them once, everywhere.
    """

    kind = models.CharField(_("вид"), max_length=12, choices=ChannelKind.choices)
    title = models.CharField(_("название"), max_length=120)
    value = models.CharField(
        _("номер или адрес"),
        max_length=200,
        blank=True,
        help_text=_("Телефон, e-mail или ссылка; для чата и формы можно оставить пустым."),
    )
    note = models.CharField(_("пояснение"), max_length=300, blank=True)
    always_open = models.BooleanField(_("круглосуточно"), default=False)
    is_free = models.BooleanField(_("бесплатно"), default=False)
    show_in_footer = models.BooleanField(_("показывать в подвале"), default=True)
    is_active = models.BooleanField(_("действует"), default=True)
    order = models.PositiveIntegerField(_("порядок"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("канал связи")
        verbose_name_plural = _("каналы связи")

    def __str__(self) -> str:
        return self.title

    @property
    def href(self) -> str:
        """A link a phone or mail client understands; empty for the site's own pages."""
        if self.kind == ChannelKind.PHONE and self.value:
            digits = "".join(ch for ch in self.value if ch.isdigit() or ch == "+")
            return f"tel:{digits}"
        if self.kind == ChannelKind.EMAIL and self.value:
            return f"mailto:{self.value}"
        if self.value.startswith(("https://", "http://", "/")):
            return self.value
        return ""

    @property
    def page_url(self) -> str:
        """This site's page for the channel where one exists; empty otherwise (no dead links)."""
        if self.kind == ChannelKind.FEEDBACK:
            return reverse("appeals:feedback")
        return ""


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Понедельник")
    TUESDAY = 1, _("Вторник")
    WEDNESDAY = 2, _("Среда")
    THURSDAY = 3, _("Четверг")
    FRIDAY = 4, _("Пятница")
    SATURDAY = 5, _("Суббота")
    SUNDAY = 6, _("Воскресенье")
    HOLIDAY = 7, _("Праздничные дни")


class OpeningHours(models.Model):
    """When a channel answers on a given weekday (Moscow time); no row means closed."""

    channel = models.ForeignKey(
        ContactChannel,
        on_delete=models.CASCADE,
        related_name="hours",
        verbose_name=_("канал"),
    )
    weekday = models.PositiveSmallIntegerField(_("день"), choices=Weekday.choices)
    opens = models.TimeField(_("с"))
    closes = models.TimeField(_("до"))

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name = _("часы работы")
        verbose_name_plural = _("часы работы")
        constraints = [
            models.UniqueConstraint(fields=["channel", "weekday"], name="contacts_hours_once"),
            models.CheckConstraint(
                condition=models.Q(opens__lt=models.F("closes")),
                name="contacts_hours_order",
                violation_error_message=_("Время начала должно быть раньше времени окончания."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self) -> None:
        if self.opens and self.closes and self.opens >= self.closes:
            raise ValidationError(
                {"closes": _("Время окончания должно быть позже времени начала.")}
            )
