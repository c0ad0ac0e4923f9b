from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey

from portal.catalogue.models import Service
from portal.history import StepRecord
from portal.models import account_link, part_of


class Department(models.Model):
    """A department whose system reports the applications it handles."""

    code = models.SlugField(_("код"), max_length=40, unique=True)
    name = models.CharField(_("название"), max_length=250)

    class Meta:
        ordering = ["name"]
        verbose_name = _("ведомство")
        verbose_name_plural = _("ведомства")

    def __str__(self) -> str:
        return self.name


class DepartmentAPIKey(AbstractAPIKey):
    """A key a department's system signs its status reports with (stored hashed)."""

    department = part_of(Department, _("ведомство"), related_name="api_keys")

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("ключ API ведомства")
        verbose_name_plural = _("ключи API ведомств")


class Status(models.TextChoices):
    ACCEPTED = "accepted", _("Принято")
    IN_REVIEW = "in_review", _("На рассмотрении")
    ACTION_REQUIRED = "action_required", _("Требуется действие")
    DONE = "done", _("Готово")
    REFUSED = "refused", _("Отказ")
    CANCELLED = "cancelled", _("Отменено")


ACTIVE_STATUSES = (Status.ACCEPTED, Status.IN_REVIEW, Status.ACTION_REQUIRED)
FINAL_STATUSES = (Status.DONE, Status.REFUSED, Status.CANCELLED)


class ActorKind(models.TextChoices):
    DEPARTMENT = "department", _("Ведомство")
    STAFF = "staff", _("Сотрудник")


class Application(models.Model):
    """A citizen's application for a catalogue service, as its department reports it."""

    number = models.CharField(_("номер"), max_length=20, unique=True)
    user = account_link(
        _("заявитель"), related_name="applications", on_delete=models.CASCADE, optional=False
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="applications", verbose_name=_("услуга")
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("ведомство"),
    )
    status = models.CharField(
        _("статус"), max_length=20, choices=Status.choices, default=Status.ACCEPTED
    )
    refusal_reason = models.TextField(_("причина отказа"), blank=True)
    submitted_at = models.DateTimeField(_("подано"))
    expected_date = models.DateField(_("ожидаемая дата готовности"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("статус изменён"))

    class Meta:
        ordering = ["-status_changed_at", "-pk"]
        verbose_name = _("заявление на услугу")
        verbose_name_plural = _("заявления на услуги")
        indexes = [models.Index(fields=["user", "-status_changed_at"], name="applications_user")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=Status.REFUSED) | ~models.Q(refusal_reason=""),
                name="applications_refusal_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"№ {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("cabinet:application", kwargs={"number": self.number})

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class ApplicationEvent(StepRecord):
    """One line of an application's status history (its step is named by the status it led
    to, as the lifecycle's table names them)."""

    application = part_of(Application, _("заявление"), related_name="events")
    at = models.DateTimeField(_("когда"))
    from_status = models.CharField(_("было"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("стало"), max_length=20, choices=Status.choices)
    comment = models.TextField(_("комментарий"), blank=True)
    actor_kind = models.CharField(_("кто"), max_length=16, choices=ActorKind.choices)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("изменение статуса")
        verbose_name_plural = _("история статусов")

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"
