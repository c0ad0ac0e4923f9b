import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.channels import ChannelKind
from portal.history import StepRecord
from portal.models import account_link, part_of
from support.centre.owners import AccountOrVisitor
from support.contacts.models import ContactChannel, Weekday

SLOT_MINUTES_CHOICES = [(15, "15"), (20, "20"), (30, "30"), (60, "60")]
DEFAULT_SLOT_MINUTES = 30

CAPACITY_DAY_CLOSED = _("В этот день у канала нет часов работы: сначала укажите их в канале связи.")
CAPACITY_SLOT_LONGER = _("Интервал длиннее рабочего дня канала в этот день.")
CAPACITY_CHANNEL_KIND = _("Вместимость задаётся только для канала «Обратный звонок».")


class CallbackCapacity(models.Model):
    """How many call-backs operators take per slot on a weekday, and how long a slot is."""

    channel = part_of(
        ContactChannel,
        _("канал"),
        related_name="callback_capacity",
        limit_choices_to={"kind": ChannelKind.CALLBACK},
    )
    weekday = models.PositiveSmallIntegerField(
        _("день"), choices=[(d.value, d.label) for d in Weekday if d.value < 7]
    )
    places = models.PositiveSmallIntegerField(
        _("звонков в интервал"),
        validators=[MaxValueValidator(500)],
        help_text=_("0 — в этот день звонки не записываются."),
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("длина интервала, минут"), choices=SLOT_MINUTES_CHOICES, default=DEFAULT_SLOT_MINUTES
    )

    class Meta:
        ordering = ["channel", "weekday"]
        verbose_name = _("вместимость обратных звонков")
        verbose_name_plural = _("вместимость обратных звонков")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "weekday"],
                name="callbacks_capacity_once",
                violation_error_message=_("Для этого дня вместимость уже задана."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()}: {self.places} × {self.slot_minutes}"

    def clean(self) -> None:
        if not self.channel_id:
            return
        if self.channel.kind != ChannelKind.CALLBACK:
            raise ValidationError({"channel": CAPACITY_CHANNEL_KIND})
        if self.channel.always_open:
            return
        hours = self.channel.hours.filter(weekday=self.weekday).first()
        if hours is None:
            raise ValidationError({"weekday": CAPACITY_DAY_CLOSED})
        day = datetime.date(2000, 1, 3)
        length = datetime.datetime.combine(day, hours.closes) - datetime.datetime.combine(
            day, hours.opens
        )
        if datetime.timedelta(minutes=self.slot_minutes or 0) > length:
            raise ValidationError({"slot_minutes": CAPACITY_SLOT_LONGER})


class CallbackSlot(models.Model):
    """One bookable interval that has been booked at least once: the row bookings count on.

    `taken` is changed only by a conditional UPDATE (taken < places), so two bookings of
    the last place cannot both succeed on any database.
    """

    channel = models.ForeignKey(
        ContactChannel, on_delete=models.PROTECT, related_name="+", verbose_name=_("канал")
    )
    starts_at = models.DateTimeField(_("начало"))
    ends_at = models.DateTimeField(_("конец"))
    taken = models.PositiveIntegerField(_("занято мест"), default=0)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("интервал обратных звонков")
        verbose_name_plural = _("интервалы обратных звонков")
        constraints = [
            models.UniqueConstraint(fields=["channel", "starts_at"], name="callbacks_slot_once"),
            models.CheckConstraint(condition=models.Q(taken__gte=0), name="callbacks_taken_gte_0"),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{local:%d.%m.%Y %H:%M}"


class Status(models.TextChoices):
    REQUESTED = "requested", _("Ожидает звонка")
    DONE = "done", _("Звонок состоялся")
    NO_ANSWER = "no_answer", _("Не дозвонились")
    CANCELLED = "cancelled", _("Отменён")


class Topic(models.TextChoices):
    SERVICES = "services", _("Справка по услугам")
    ACCOUNT = "account", _("Помощь по личному кабинету")
    STATUS = "status", _("Статус заявления")
    APPEAL = "appeal", _("Моё обращение")
    OTHER = "other", _("Другой вопрос")


class Callback(AccountOrVisitor):
    """A citizen's request to be called back in a slot (an account's or a visitor's:
    `AccountOrVisitor`; a visitor's carries the name they gave)."""

    number = models.CharField(_("номер"), max_length=12, unique=True)
    user = account_link(_("гражданин"), related_name="callbacks", on_delete=models.CASCADE)
    name = models.CharField(_("имя посетителя"), max_length=100, blank=True)
    # 152-FZ: a visitor's consent to keep the name and number, and when it was given.
    consent_at = models.DateTimeField(_("согласие дано"), null=True, blank=True)
    phone = models.CharField(_("телефон"), max_length=16)
    topic = models.CharField(_("тема"), max_length=12, choices=Topic.choices)
    slot = models.ForeignKey(
        CallbackSlot, on_delete=models.PROTECT, related_name="callbacks", verbose_name=_("время")
    )
    status = models.CharField(
        _("статус"), max_length=12, choices=Status.choices, default=Status.REQUESTED
    )
    created_at = models.DateTimeField(_("создан"), default=timezone.now)
    changed_at = models.DateTimeField(_("изменён"), default=timezone.now)

    class Meta(AccountOrVisitor.Meta):
        ordering = ["-created_at"]
        verbose_name = _("обратный звонок")
        verbose_name_plural = _("обратные звонки")
        indexes = [models.Index(fields=["user", "status"])]
        constraints = [
            *AccountOrVisitor.Meta.constraints,
            # One waiting call-back per number without an account (`actions.callback_book`
            # asks first; this holds when two requests race).
            models.UniqueConstraint(
                fields=["phone"],
                condition=models.Q(user__isnull=True, status="requested"),
                name="callbacks_one_open_per_visitor_number",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("callbacks:detail", kwargs={"number": self.number})


class CallbackEvent(StepRecord):
    """One step in a call-back's history: who did what, and the time it pointed at."""

    callback = part_of(Callback, _("звонок"), related_name="events")
    at = models.DateTimeField(_("когда"), default=timezone.now)
    from_status = models.CharField(
        _("был статус"), max_length=12, choices=Status.choices, blank=True
    )
    to_status = models.CharField(_("статус"), max_length=12, choices=Status.choices)
    slot_starts_at = models.DateTimeField(_("время звонка"))
    actor = account_link(_("кто сделал"), related_name="+")

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("событие обратного звонка")
        verbose_name_plural = _("история обратных звонков")

    def __str__(self) -> str:
        return f"{self.callback_id}: {self.step}"
