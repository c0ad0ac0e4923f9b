"""The accessibility mode ("Версия для слабовидящих"): a preference rendered as classes on <html>.

Signed-in citizens keep it on their profile; visitors keep it in a cookie.
"""

from dataclasses import dataclass, replace

from django.db import models
from django.utils.translation import gettext_lazy as _

COOKIE_NAME = "a11y"
COOKIE_MAX_AGE = 60 * 60 * 24 * 365


class FontSize(models.TextChoices):
    NORMAL = "normal", _("Обычный")
    LARGE = "large", _("Крупный")
    LARGEST = "largest", _("Очень крупный")


class ColourScheme(models.TextChoices):
    BLACK_ON_WHITE = "bw", _("Чёрный текст на белом фоне")
    WHITE_ON_BLACK = "wb", _("Белый текст на чёрном фоне")
    BLUE = "blue", _("Тёмно-синий текст на голубом фоне")
    BROWN = "brown", _("Коричневый текст на бежевом фоне")


@dataclass(frozen=True)
class AccessibilityPrefs:
    """What the citizen chose; the defaults are the ordinary site."""

    enabled: bool = False
    font_size: str = FontSize.LARGE
    scheme: str = ColourScheme.BLACK_ON_WHITE
    images: bool = True

    def html_classes(self) -> str:
        if not self.enabled:
            return ""
        classes = ["a11y", f"a11y-font-{self.font_size}", f"a11y-scheme-{self.scheme}"]
        if not self.images:
            classes.append("a11y-no-images")
        return " ".join(classes)

    def to_cookie(self) -> str:
        return ":".join(
            ["1" if self.enabled else "0", self.font_size, self.scheme, "1" if self.images else "0"]
        )

    @classmethod
    def from_cookie(cls, value: str | None) -> "AccessibilityPrefs":
        """Parse strictly: anything unexpected gives the defaults, never an error."""
        parts = (value or "").split(":")
        if len(parts) != 4:
            return cls()
        enabled, font_size, scheme, images = parts
        if font_size not in FontSize.values or scheme not in ColourScheme.values:
            return cls()
        return cls(enabled=enabled == "1", font_size=font_size, scheme=scheme, images=images != "0")

    def toggled(self) -> "AccessibilityPrefs":
        return replace(self, enabled=not self.enabled)
