from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, URLValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.models import part_of


class Region(models.Model):
    """A federal subject of Russia (kept as data: the list changes by law)."""

    code = models.CharField(_("код"), max_length=3, unique=True)
    name = models.CharField(_("название"), max_length=120)
    order = models.PositiveIntegerField(_("порядок"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("регион")
        verbose_name_plural = _("регионы")

    def __str__(self) -> str:
        return self.name


SERVICE_CODE_RE = r"^[0-9]{1,20}$"
CODE_DIGITS_ONLY = _("Номер услуги — только цифры, не больше 20.")
NO_WAY_TO_APPLY = _("Отметьте хотя бы один способ подачи: онлайн или лично.")
APPLY_URL_NEEDS_ONLINE = _(
    "Ссылка на электронную услугу — только для услуг, которые можно подать онлайн."
)


class ApplyWay(models.TextChoices):
    """Where the service page's «Получить услугу» leads (Service.apply_way decides)."""

    E_SERVICE = "e_service", _("электронная услуга ведомства")
    FORM = "form", _("форма обращения с этой услугой")
    IN_PERSON = "in_person", _("лично: ведомство и его контакты")


class ServiceCategory(models.Model):
    """A life situation the catalogue is browsed by (passports, transport, family …)."""

    slug = models.SlugField(_("адрес"), max_length=80, unique=True)
    title = models.CharField(_("название"), max_length=150)
    description = models.CharField(_("описание"), max_length=300, blank=True)
    order = models.PositiveIntegerField(_("порядок"), default=0)

    class Meta:
        ordering = ["order", "title"]
        verbose_name = _("категория услуг")
        verbose_name_plural = _("категории услуг")

    def __str__(self) -> str:
        return self.title


class ServiceType(models.TextChoices):
    CERTIFICATE = "certificate", _("Получить справку")
    APPLICATION = "application", _("Подать заявление")
    CHANGE = "change", _("Изменить данные")
    APPOINTMENT = "appointment", _("Записаться на приём")
    PAYMENT = "payment", _("Оплатить")


class ServiceStatus(models.TextChoices):
    DRAFT = "draft", _("Черновик")
    PUBLISHED = "published", _("Опубликовано")


class ServiceQuerySet(models.QuerySet["Service"]):
    def published(self) -> "ServiceQuerySet":
        return self.filter(status=ServiceStatus.PUBLISHED)


class Service(models.Model):
    """A catalogue entry: a government service a citizen can apply for."""

    code = models.CharField(
        _("номер услуги"),
        max_length=20,
        unique=True,
        help_text=_("Номер, который граждане называют в обращениях: только цифры."),
        validators=[RegexValidator(SERVICE_CODE_RE, CODE_DIGITS_ONLY)],
    )
    title = models.CharField(_("название"), max_length=250)
    summary = models.TextField(_("кратко"), max_length=1000)
    category = models.ForeignKey(
        ServiceCategory,
        on_delete=models.PROTECT,
        related_name="services",
        verbose_name=_("категория"),
    )
    service_type = models.CharField(_("тип услуги"), max_length=16, choices=ServiceType.choices)
    all_regions = models.BooleanField(_("вся Россия"), default=True)
    regions = models.ManyToManyField(
        Region, blank=True, related_name="services", verbose_name=_("регионы")
    )
    applicants = models.TextField(_("кто может подать"), blank=True)
    processing_days = models.PositiveSmallIntegerField(
        _("срок оказания, рабочих дней"), null=True, blank=True
    )
    cost = models.CharField(
        _("стоимость"), max_length=200, blank=True, help_text=_("Например: «Бесплатно»")
    )
    result = models.TextField(_("результат"), blank=True)
    how_to_apply = models.TextField(
        _("как подать"),
        blank=True,
        help_text=_("Шаги для гражданина, по одному в строке."),
    )
    available_online = models.BooleanField(_("можно подать онлайн"), default=True)
    apply_url = models.URLField(
        _("электронная услуга ведомства"),
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["https", "http"])],
        help_text=_(
            "Страница ведомства, где заявление подают онлайн (https://…): на неё ведёт кнопка "
            "«Получить услугу». Пусто — кнопка открывает форму обращения с этой услугой, а для "
            "услуг только лично — контакты ведомства."
        ),
    )
    available_in_person = models.BooleanField(_("можно подать лично"), default=False)
    department = models.CharField(_("ведомство"), max_length=250, blank=True)
    department_contacts = models.TextField(_("контакты ведомства"), blank=True)
    status = models.CharField(
        _("статус"), max_length=10, choices=ServiceStatus.choices, default=ServiceStatus.DRAFT
    )
    popularity = models.PositiveIntegerField(_("популярность"), default=0)
    updated_at = models.DateTimeField(_("обновлено"), auto_now=True)

    objects = ServiceQuerySet.as_manager()
    # `history` (simple_history) is registered in translation.py, after the translated
    # columns exist, so that the history keeps every language.

    class Meta:
        ordering = ["title"]
        verbose_name = _("услуга")
        verbose_name_plural = _("услуги")
        indexes = [
            models.Index(fields=["status", "service_type"], name="catalogue_service_type"),
            models.Index(fields=["status", "-popularity"], name="catalogue_service_popular"),
            models.Index(fields=["status", "title"], name="catalogue_service_title"),
            # Covers the grouped counts of the catalogue page without reading the rows.
            models.Index(
                fields=["status", "service_type", "category", "available_online", "all_regions"],
                name="catalogue_service_facets",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("catalogue:detail", kwargs={"code": self.code})

    def clean(self) -> None:
        if not self.available_online and not self.available_in_person:
            raise ValidationError({"available_online": NO_WAY_TO_APPLY})
        if self.apply_url and not self.available_online:
            raise ValidationError({"apply_url": APPLY_URL_NEEDS_ONLINE})

    @property
    def apply_way(self) -> ApplyWay:
        """The one rule for the page's «Получить услугу»."""
        if self.apply_url and self.available_online:
            return ApplyWay.E_SERVICE
        if self.available_online or not (self.department or self.department_contacts):
            return ApplyWay.FORM
        return ApplyWay.IN_PERSON

    @property
    def apply_host(self) -> str:
        """The department's site as a citizen recognises it (www.gosuslugi.ru)."""
        return urlsplit(self.apply_url).hostname or ""

    @property
    def is_published(self) -> bool:
        return self.status == ServiceStatus.PUBLISHED

    def how_to_apply_steps(self) -> list[str]:
        return [line.strip() for line in self.how_to_apply.splitlines() if line.strip()]


class ServiceDocument(models.Model):
    """One line of the checklist of documents a service needs, in order."""

    service = part_of(Service, _("услуга"), related_name="documents")
    title = models.CharField(_("документ"), max_length=300)
    note = models.CharField(_("пояснение"), max_length=500, blank=True)
    is_required = models.BooleanField(_("обязательный"), default=True)
    order = models.PositiveIntegerField(_("порядок"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("документ")
        verbose_name_plural = _("необходимые документы")

    def __str__(self) -> str:
        return self.title
