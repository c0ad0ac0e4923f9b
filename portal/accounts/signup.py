"""What registration asks besides allauth's fields (ACCOUNT_SIGNUP_FORM_CLASS).

Kept apart from forms.py: allauth imports this class while building its own forms,
so it must not import allauth's forms itself.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.models import User
from portal.phones import phone_normalise

PHONE_TAKEN = _(
    "Этот телефон уже указан в другой учётной записи. Войдите в неё или укажите другой."
)
EMAIL_TAKEN = _(
    "Учётная запись с этим адресом уже есть. Войдите или восстановите пароль по этому адресу."
)


def phone_clean(raw: str) -> str:
    """Normalised; refused when an account already has it (registration says so, as it
    does for an e-mail; the profile page does not, see portal.accounts.phone_codes)."""
    phone = phone_normalise(raw)
    if phone and User.objects.filter(phone=phone).exists():
        raise ValidationError(PHONE_TAKEN, code="phone_taken")
    return phone


def phone_field(help_text) -> forms.CharField:
    """The mobile phone, asked at registration and on the profile (each says why)."""
    return forms.CharField(
        label=_("Мобильный телефон"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
        help_text=help_text,
    )


class PersonNameForm(forms.Form):
    """The person's full name, as registration and the profile ask it."""

    last_name = forms.CharField(
        label=_("Фамилия"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    first_name = forms.CharField(
        label=_("Имя"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    middle_name = forms.CharField(
        label=_("Отчество"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "additional-name"}),
    )


class SignupExtraForm(PersonNameForm):
    """ACCOUNT_SIGNUP_FORM_CLASS: the name and phone asked at registration."""

    phone = phone_field(
        _("Необязательно. С ним можно входить и получать SMS, например +7 916 123-45-67.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["middle_name"].help_text = _("Если есть.")

    def clean_phone(self) -> str:
        return phone_clean(self.cleaned_data["phone"])

    def signup(self, request, user: User) -> None:
        user.last_name = self.cleaned_data["last_name"]
        user.first_name = self.cleaned_data["first_name"]
        user.middle_name = self.cleaned_data["middle_name"]
        user.phone = self.cleaned_data["phone"]
        user.save(update_fields=["last_name", "first_name", "middle_name", "phone"])
