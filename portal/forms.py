"""The portal's own forms and the mixin every package's forms use."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from portal.accessibility import AccessibilityPrefs, ColourScheme, FontSize


def counts_characters(field: forms.Field) -> bool:
    """A long field (a text area with a limit) shows what is left while the citizen types."""
    return isinstance(field.widget, forms.Textarea) and bool(getattr(field, "max_length", None))


class AccessibleFormMixin:
    """Ties each hint, character count and error message to its control with aria-describedby.

    The error paragraph (id "<field>_error") and the count (id "<field>_count",
    includes/char_count.html) are rendered by includes/field.html. A counted field has no
    maxlength: the browser would cut a pasted text silently, while the count says how much
    is over and the form's own error keeps the whole text for the citizen to shorten.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        form: forms.BaseForm = self  # type: ignore[assignment]
        for field in form.fields.values():
            if counts_characters(field):
                field.widget.attrs.pop("maxlength", None)
                field.widget.attrs["data-char-count"] = str(field.max_length)  # type: ignore[attr-defined]

    def __getitem__(self, name: str) -> forms.BoundField:
        # Described when the page takes the field, so that ids, labels and errors are final.
        bound = super().__getitem__(name)  # type: ignore[misc]
        field = bound.field
        errors = getattr(self, "_errors", None)
        ids = [f"{bound.auto_id}_error"] if errors and name in errors else []
        if field.help_text:
            ids.append(f"{bound.auto_id}_helptext")
        if counts_characters(field):
            ids.append(f"{bound.auto_id}_count")
        if ids and bound.auto_id:
            field.widget.attrs["aria-describedby"] = " ".join(ids)
        return bound

    def refusal_add(
        self, error: ValidationError | PermissionDenied, *, fields: dict[str, str] | None = None
    ) -> None:
        """An action's refusal, shown next to the fields it names (or above the form).

        `fields` maps the action's names to this form's where they differ.
        """
        form: forms.BaseForm = self  # type: ignore[assignment]
        if isinstance(error, PermissionDenied):
            error = ValidationError(str(error))
        if not form.is_bound and not hasattr(form, "cleaned_data"):
            # A form shown again unchecked, with what was typed, carries the refusal too.
            form.errors  # noqa: B018 (an unbound form's checks: none)
            form.cleaned_data = {}
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                name = (fields or {}).get(name, name)
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, error)


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


class LoginForm(AuthenticationForm):
    """Django's form with the attributes password managers and screen readers need."""

    error_messages = {
        "invalid_login": _(
            "Неверное имя пользователя или пароль. Проверьте раскладку клавиатуры и Caps Lock."
        ),
        "inactive": _("Эта учётная запись отключена."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Имя пользователя")
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})
