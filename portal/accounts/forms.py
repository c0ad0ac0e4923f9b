"""Account forms: allauth's, with the portal's labels and error wiring, plus the profile."""

from allauth.account import forms as allauth_forms
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.accounts import phone_codes
from portal.accounts.signup import PersonNameForm, phone_field
from portal.accounts.snils import snils_normalise
from portal.forms import AccessibleFormMixin
from portal.models import User
from portal.notifications.models import NotificationEvent
from portal.notifications.preferences import SWITCHABLE
from portal.phones import phone_normalise

LOGIN_LABEL = _("Имя пользователя, e-mail или телефон")


class LoginForm(AccessibleFormMixin, allauth_forms.LoginForm):
    """allauth's sign-in: the login field takes a username, an e-mail or a phone."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = LOGIN_LABEL
        login.widget = forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"})
        self.fields["password"].label = _("Пароль")
        self.fields["password"].help_text = ""  # "Forgot?" is a link beside the button


class SignupForm(AccessibleFormMixin, allauth_forms.SignupForm):
    field_order = [
        "last_name",
        "first_name",
        "middle_name",
        "email",
        "phone",
        "username",
        "password1",
        "password2",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Электронная почта")
        self.fields["email"].help_text = _("На неё придёт письмо со ссылкой для подтверждения.")
        self.fields["username"].label = _("Имя пользователя")
        self.fields["username"].help_text = _("Латинские буквы, цифры и знаки @ . + - _")
        self.fields["password1"].label = _("Пароль")
        self.fields["password2"].label = _("Пароль ещё раз")
        for name in ("email", "username", "password1", "password2"):
            self.fields[name].widget.attrs.pop("placeholder", None)
        self.order_fields(self.field_order)


class ResetPasswordForm(AccessibleFormMixin, allauth_forms.ResetPasswordForm):
    """Answers the same for any address: the letter tells its owner, the page nobody.

    allauth refuses an unknown address here while ACCOUNT_PREVENT_ENUMERATION is off (it
    is off for registration, which says an address is taken): that answer would tell a
    prober which addresses have accounts, and a refused form never reached the rate
    limits, which allauth counts in the view once the form is valid. An unknown address
    goes on to the same page and to allauth's "no such account" letter.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Электронная почта")
        self.fields["email"].widget.attrs.pop("placeholder", None)

    def clean_email(self) -> str:
        try:
            return super().clean_email()
        except ValidationError as error:
            if error.code != "unknown_email":
                raise
            return self.cleaned_data["email"]  # self.users is empty: nobody gets a link


class ResetPasswordKeyForm(AccessibleFormMixin, allauth_forms.ResetPasswordKeyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].label = _("Новый пароль")
        self.fields["password2"].label = _("Новый пароль ещё раз")


class ChangePasswordForm(AccessibleFormMixin, allauth_forms.ChangePasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["oldpassword"].label = _("Текущий пароль")
        self.fields["oldpassword"].help_text = ""
        self.fields["password1"].label = _("Новый пароль")
        self.fields["password2"].label = _("Новый пароль ещё раз")
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)


class ChangeEmailForm(AccessibleFormMixin, allauth_forms.AddEmailForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Новый адрес")
        self.fields["email"].widget.attrs.pop("placeholder", None)


class ConfirmationResendForm(AccessibleFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("Электронная почта"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class ProfileForm(AccessibleFormMixin, PersonNameForm):
    phone = phone_field(
        _(
            "Например +7 916 123-45-67. Нужен для входа по телефону и SMS. Новый номер "
            "появится в профиле, когда вы введёте код из SMS, которое мы на него отправим."
        )
    )
    snils = forms.CharField(
        label=_("СНИЛС"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("Необязательно. 11 цифр, например 112-233-445 95."),
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_phone(self) -> str:
        # Whose number it is, is not checked here: the page would tell a stranger. A new
        # number waits for the code sent to it (portal.accounts.phone_codes).
        return phone_normalise(self.cleaned_data["phone"])

    def clean_snils(self) -> str:
        return snils_normalise(self.cleaned_data["snils"])


class PhoneCodeForm(AccessibleFormMixin, forms.Form):
    """The code from the SMS that confirms a new phone number."""

    code = forms.CharField(
        label=_("Код из SMS"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        error_messages={"required": phone_codes.CODE_FORMAT},
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if len(code) != phone_codes.CODE_DIGITS or not code.isascii() or not code.isdigit():
            raise forms.ValidationError(phone_codes.CODE_FORMAT, code="format")
        return code


def preference_field_name(event: str, channel: str) -> str:
    return f"{event}__{channel}"


class PreferencesForm(forms.Form):
    """One checkbox per event × switchable channel; the inbox is always on and not asked."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for event in NotificationEvent:
            for channel in SWITCHABLE:
                self.fields[preference_field_name(event, channel)] = forms.BooleanField(
                    label=channel.label, required=False
                )

    def rows(self) -> list[dict]:
        """What the template walks: each event with its channel checkboxes."""
        return [
            {
                "event": event,
                "label": event.label,
                "fields": [self[preference_field_name(event, channel)] for channel in SWITCHABLE],
            }
            for event in NotificationEvent
        ]

    def chosen(self) -> dict[tuple[str, str], bool]:
        return {
            (event.value, channel.value): self.cleaned_data[preference_field_name(event, channel)]
            for event in NotificationEvent
            for channel in SWITCHABLE
        }

    @classmethod
    def initial_from(cls, chosen: dict[tuple[str, str], bool]) -> dict[str, bool]:
        return {preference_field_name(e, c): on for (e, c), on in chosen.items()}
