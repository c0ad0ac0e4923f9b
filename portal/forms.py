from django import forms
from django.utils.translation import gettext_lazy as _

from portal.accessibility import AccessibilityPrefs, ColourScheme, FontSize


class AccessibilityForm(forms.Form):
    enabled = forms.BooleanField(label=_("Включить версию для слабовидящих"), required=False)
    font_size = forms.ChoiceField(
        label=_("Размер шрифта"), choices=FontSize.choices, widget=forms.RadioSelect
    )
    scheme = forms.ChoiceField(
        label=_("Цветовая схема"), choices=ColourScheme.choices, widget=forms.RadioSelect
    )
    images = forms.BooleanField(label=_("Показывать изображения"), required=False)

    @classmethod
    def for_prefs(cls, prefs: AccessibilityPrefs) -> "AccessibilityForm":
        return cls(
            initial={
                "enabled": prefs.enabled,
                "font_size": prefs.font_size,
                "scheme": prefs.scheme,
                "images": prefs.images,
            }
        )

    def to_prefs(self) -> AccessibilityPrefs:
        return AccessibilityPrefs(**self.cleaned_data)
