from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.accessibility import AccessibilityPrefs, ColourScheme, FontSize


class User(AbstractUser):
    """A person with an account: a citizen, an operator or an editor."""

    # Sign-in by e-mail or phone comes with the cabinet; the fields exist from the
    # first migration so the custom user never has to be swapped.
    phone = models.CharField(
        _("телефон"), max_length=12, blank=True, help_text=_("В формате +7XXXXXXXXXX.")
    )
    middle_name = models.CharField(_("отчество"), max_length=150, blank=True)
    # Optional; kept as 11 digits, checked by its checksum (portal.accounts.snils).
    snils = models.CharField(_("СНИЛС"), max_length=11, blank=True)

    a11y_enabled = models.BooleanField(_("версия для слабовидящих"), default=False)
    a11y_font_size = models.CharField(
        _("размер шрифта"), max_length=10, choices=FontSize.choices, default=FontSize.LARGE
    )
    a11y_scheme = models.CharField(
        _("цветовая схема"),
        max_length=10,
        choices=ColourScheme.choices,
        default=ColourScheme.BLACK_ON_WHITE,
    )
    a11y_images = models.BooleanField(_("показывать изображения"), default=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("пользователь")
        verbose_name_plural = _("пользователи")
        constraints = [
            models.UniqueConstraint(
                fields=["phone"],
                condition=~models.Q(phone=""),
                name="portal_user_phone_unique",
            ),
        ]

    @property
    def accessibility(self) -> AccessibilityPrefs:
        return AccessibilityPrefs(
            enabled=self.a11y_enabled,
            font_size=self.a11y_font_size,
            scheme=self.a11y_scheme,
            images=self.a11y_images,
        )


class PhoneConfirmation(models.Model):
    """A phone number a person asked to put in their profile, until they type the code
    sent to it by SMS (portal.accounts.phone_codes); the profile keeps the old one meanwhile."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, primary_key=True, related_name="phone_confirmation"
    )
    phone = models.CharField(_("новый телефон"), max_length=12)
    code_digest = models.CharField(max_length=64, editable=False)
    sent_at = models.DateTimeField(_("код отправлен"))
    failures = models.PositiveSmallIntegerField(_("неверных попыток"), default=0)

    class Meta:
        verbose_name = _("подтверждение телефона")
        verbose_name_plural = _("подтверждения телефонов")

    def __str__(self) -> str:
        return self.phone


def link_to(
    to: type[models.Model] | str,
    verbose_name,
    *,
    related_name: str | None = None,
    on_delete=models.SET_NULL,
    optional: bool = True,
) -> models.ForeignKey:
    """A link to another record. By default an optional one that outlives what it points at
    (the service an appeal was about, the appeal a letter became): the record stays, the link
    empties, when the other is deleted."""
    return models.ForeignKey(
        to,
        on_delete=on_delete,
        null=optional,
        blank=optional,
        related_name=related_name,
        verbose_name=verbose_name,
    )


def part_of(to: type[models.Model] | str, verbose_name, **options) -> models.ForeignKey:
    """A row's link to the record it is part of (a history line to its item, opening hours
    to their channel): always there, and deleted with it. `options` as ForeignKey's."""
    return models.ForeignKey(to, on_delete=models.CASCADE, verbose_name=verbose_name, **options)


def account_link(verbose_name, **options) -> models.ForeignKey:
    """A link to an account (`link_to`: by default optional and outliving the account: who
    wrote, who works an item, who took a step)."""
    return link_to(settings.AUTH_USER_MODEL, verbose_name, **options)
