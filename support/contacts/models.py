from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.channels import ChannelKind
from portal.models import part_of
from portal.periods import InOrder

HOURS_ORDER = _("Время окончания должно быть позже времени начала.")
SPECIAL_DATES_ORDER = _("Дата окончания не может быть раньше даты начала.")
SPECIAL_HOURS_NEEDED = _("Укажите часы работы или отметьте «не работает».")
SPECIAL_OVERLAP = _("Для этого канала на эти даты уже есть особый режим.")

HOURS_IN_ORDER = InOrder("opens", "closes", HOURS_ORDER)
DATES_IN_ORDER = InOrder("starts_on", "ends_on", SPECIAL_DATES_ORDER, same_allowed=True)


class ContactChannel(models.Model):
    """One way to reach the contact centre, with its own hours.

    The seed article names different numbers and hours in different places: the
    facts live here so that editors correct them once, everywhere.
    """

    kind = models.CharField(_("вид"), max_length=12, choices=ChannelKind.choices)
    title = models.CharField(_("название"), max_length=120)
    # title_en and the other languages' columns come from translation.py (modeltranslation).
    value = models.CharField(
        _("номер или адрес"),
        max_length=200,
        blank=True,
        help_text=_("Телефон, e-mail или ссылка; для чата и формы можно оставить пустым."),
    )
    note = models.CharField(_("пояснение"), max_length=300, blank=True)
    always_open = models.BooleanField(_("круглосуточно"), default=False)
    answer_minutes = models.PositiveIntegerField(
        _("обычно отвечают за, минут"),
        null=True,
        blank=True,
        help_text=_(
            "По нему главная страница выбирает самый быстрый открытый канал; "
            "пусто — канал не предлагается как самый быстрый."
        ),
    )
    is_free = models.BooleanField(_("бесплатно"), default=False)
    show_in_footer = models.BooleanField(_("показывать в подвале"), default=True)
    is_active = models.BooleanField(_("действует"), default=True)
    order = models.PositiveIntegerField(_("порядок"), default=0)

    # `history` (simple_history) is registered in translation.py, after the translated
    # columns exist, so that the history keeps every language.

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("канал связи")
        verbose_name_plural = _("каналы связи")

    def __str__(self) -> str:
        return self.title

    @property
    def anchor(self) -> str:
        return f"channel-{self.pk}"

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
    def form_url(self) -> str:
        """A page of this site where the channel itself works (the feedback form, the
        call-back booking), or ""."""
        if self.kind == ChannelKind.FEEDBACK:
            return reverse("appeals:feedback")
        if self.kind == ChannelKind.CALLBACK:
            return reverse("callbacks:book")
        return ""

    @property
    def form_label(self) -> str:
        """The words of the link to `form_url`."""
        if self.kind == ChannelKind.CALLBACK:
            return str(_("Заказать звонок"))
        return str(_("Открыть форму"))

    @property
    def page_url(self) -> str:
        """This site's page for the channel: the form or the chat, else its contacts anchor."""
        if self.kind == ChannelKind.CHAT:
            return reverse("chat:page")
        return self.form_url or f"{reverse('support:contacts')}#{self.anchor}"


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Понедельник")
    TUESDAY = 1, _("Вторник")
    WEDNESDAY = 2, _("Среда")
    THURSDAY = 3, _("Четверг")
    FRIDAY = 4, _("Пятница")
    SATURDAY = 5, _("Суббота")
    SUNDAY = 6, _("Воскресенье")
    HOLIDAY = 7, _("Праздничные дни")
    SHORTENED = 8, _("Сокращённые предпраздничные дни")


class OpeningHours(models.Model):
    """When a channel answers on a given weekday (Moscow time); no row means closed."""

    channel = part_of(ContactChannel, _("канал"), related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("день"), choices=Weekday.choices)
    opens = models.TimeField(_("с"))
    closes = models.TimeField(_("до"))

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name = _("часы работы")
        verbose_name_plural = _("часы работы")
        constraints = [
            models.UniqueConstraint(fields=["channel", "weekday"], name="contacts_hours_once"),
            HOURS_IN_ORDER.constraint("contacts_hours_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self) -> None:
        HOURS_IN_ORDER.check(self)


class SpecialHours(models.Model):
    """Dated hours that win over the week: a closed day, a line opened on a holiday …"""

    channel = part_of(ContactChannel, _("канал"), related_name="special_hours")
    starts_on = models.DateField(_("с даты"))
    ends_on = models.DateField(_("по дату"), help_text=_("Включительно."))
    is_closed = models.BooleanField(_("не работает"), default=False)
    opens = models.TimeField(_("с"), null=True, blank=True)
    closes = models.TimeField(_("до"), null=True, blank=True)
    note = models.CharField(_("причина"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("особый режим работы")
        verbose_name_plural = _("особые режимы работы")
        constraints = [DATES_IN_ORDER.constraint("contacts_special_dates_order")]

    def __str__(self) -> str:
        return f"{self.starts_on:%d.%m.%Y}–{self.ends_on:%d.%m.%Y}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if DATES_IN_ORDER.broken(self):
            errors["ends_on"] = SPECIAL_DATES_ORDER
        if not self.is_closed:
            if self.opens is None or self.closes is None:
                errors["opens"] = SPECIAL_HOURS_NEEDED
            elif HOURS_IN_ORDER.broken(self):
                errors["closes"] = HOURS_ORDER
        if errors:
            raise ValidationError(errors)
        if self.channel_id and self.starts_on and self.ends_on:
            overlapping = SpecialHours.objects.filter(
                channel_id=self.channel_id,
                starts_on__lte=self.ends_on,
                ends_on__gte=self.starts_on,
            ).exclude(pk=self.pk)
            if overlapping.exists():
                raise ValidationError({"starts_on": SPECIAL_OVERLAP})


class VoiceMenuItem(models.Model):
    """One key of a phone line's voice menu ("1 — справка по услугам"), in key order."""

    channel = part_of(
        ContactChannel,
        _("телефонная линия"),
        related_name="voice_menu",
        limit_choices_to={"kind": ChannelKind.PHONE},
    )
    key = models.CharField(
        _("клавиша"),
        max_length=1,
        validators=[RegexValidator(r"^[0-9*#]$", _("Одна клавиша: цифра, * или #."))],
    )
    title = models.CharField(_("что выбрать"), max_length=150)

    class Meta:
        ordering = ["channel", "key"]
        verbose_name = _("пункт голосового меню")
        verbose_name_plural = _("голосовое меню")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "key"],
                name="contacts_voice_key_once",
                violation_error_message=_("У этой линии уже есть пункт с такой клавишей."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} — {self.title}"


class RegionalOffice(models.Model):
    """A regional office where citizens are received in person."""

    region = models.ForeignKey(
        "catalogue.Region",
        on_delete=models.PROTECT,
        related_name="support_offices",
        verbose_name=_("регион"),
    )
    title = models.CharField(_("название"), max_length=200)
    address = models.CharField(_("адрес"), max_length=300)
    phones = models.CharField(
        _("телефоны"), max_length=200, blank=True, help_text=_("Через запятую.")
    )
    hours = models.CharField(
        _("часы приёма"), max_length=200, blank=True, help_text=_("Например: Пн–Пт 09:00–18:00")
    )
    latitude = models.DecimalField(
        _("широта"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("долгота"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    is_active = models.BooleanField(_("действует"), default=True)

    # `history` (simple_history) is registered in translation.py, after the translated
    # columns exist, so that the history keeps every language.

    class Meta:
        ordering = ["region__order", "region__name", "title"]
        verbose_name = _("региональный офис")
        verbose_name_plural = _("региональные офисы")

    def __str__(self) -> str:
        return self.title

    @property
    def phone_list(self) -> list[tuple[str, str]]:
        """[(as written, tel: link)] for each number in the field."""
        numbers = [part.strip() for part in self.phones.split(",") if part.strip()]
        return [(n, "tel:" + "".join(ch for ch in n if ch.isdigit() or ch == "+")) for n in numbers]

    @property
    def map_url(self) -> str:
        # A plain link: the map opens on OpenStreetMap, our page loads nothing from it.
        lat, lon = f"{self.latitude:.6f}", f"{self.longitude:.6f}"
        return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"


class ManagementContact(models.Model):
    """The department's management, for escalations: data, because people change."""

    position = models.CharField(_("должность"), max_length=200)
    name = models.CharField(_("имя"), max_length=200)
    phone = models.CharField(_("телефон"), max_length=50, blank=True)
    email = models.EmailField(_("электронная почта"), blank=True)
    hours = models.CharField(_("часы приёма"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("порядок"), default=0)
    is_active = models.BooleanField(_("действует"), default=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("контакт руководства")
        verbose_name_plural = _("контакты руководства")

    def __str__(self) -> str:
        return f"{self.position}: {self.name}"

    @property
    def phone_href(self) -> str:
        return "tel:" + "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")
