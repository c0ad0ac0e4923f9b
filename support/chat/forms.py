"""The chat's forms (the pages without JavaScript post them; the script posts the same)."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import AccessibleFormMixin
from support.appeals.models import Topic
from support.appeals.selectors import topics_active
from support.centre.contacts import CONSENT_REQUIRED, MAX_NAME, NAME_REQUIRED
from support.centre.files import ACCEPT
from support.centre.uploads import ONE_FILE_LIMITS, CheckedFile, attachment_check
from support.chat.rules import MAX_CLIENT_ID, MAX_RATING_COMMENT, MAX_TEXT, RATING_HIGH, RATING_LOW
from support.chat.selectors import person_name, staff_colleagues


class MessageForm(AccessibleFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Сообщение"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    file = forms.FileField(
        label=_("Файл"),
        required=False,
        help_text=ONE_FILE_LIMITS,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    # A fresh id per rendered form: a repeated post of the same form stores one message.
    client_id = forms.CharField(
        max_length=MAX_CLIENT_ID, widget=forms.HiddenInput, initial=lambda: uuid.uuid4().hex
    )

    checked: CheckedFile | None = None

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            self.checked = attachment_check(upload=upload)
        return upload


class RateForm(AccessibleFormMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Оцените, пожалуйста, помощь"),
        choices=[(n, str(n)) for n in range(RATING_LOW, RATING_HIGH + 1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Комментарий (необязательно)"),
        required=False,
        max_length=MAX_RATING_COMMENT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _name_field():
    return forms.CharField(
        label=_("Как к вам обращаться"),
        max_length=MAX_NAME,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        # The contacts' rule says the same (`support.centre.contacts`).
        error_messages={"required": NAME_REQUIRED},
    )


def _visitor_email_field():
    # Checked by the contacts' rule (one message for every entry point).
    return forms.CharField(
        label=_("E-mail"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


def _visitor_phone_field():
    return forms.CharField(
        label=_("Телефон"),
        required=False,
        max_length=40,
        help_text=_("Российский номер, например +7 916 123-45-67."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )


def _consent_field():
    return forms.BooleanField(
        label=_("Согласен на обработку персональных данных"),
        error_messages={"required": CONSENT_REQUIRED},
    )


class HandOffForm(AccessibleFormMixin, forms.Form):
    """A visitor's hand-off: who they are and where the answer reaches them. Whether the
    contacts will do is `support.centre.contacts`' answer, in the action."""

    name = _name_field()
    email = _visitor_email_field()
    phone = _visitor_phone_field()
    consent = _consent_field()

    def __init__(self, *args, **kwargs):
        # The page also holds «Оставить сообщение» with the same fields: ids of their own.
        kwargs.setdefault("auto_id", "id_handoff_%s")
        super().__init__(*args, **kwargs)


class LeaveMessageForm(AccessibleFormMixin, forms.Form):
    topic = forms.ModelChoiceField(label=_("Тема"), queryset=Topic.objects.none())
    email = forms.EmailField(
        label=_("E-mail для уведомлений"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = _consent_field()

    def __init__(self, *args, visitor: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = topics_active()
        if visitor:
            # A visitor's appeal: a name and an e-mail or a phone (answered by a call).
            self.fields["name"] = _name_field()
            self.fields["email"] = _visitor_email_field()
            self.fields["phone"] = _visitor_phone_field()
            self.order_fields(["topic", "name", "email", "phone", "consent"])

    def contacts(self) -> dict:
        data = self.cleaned_data
        return {name: data.get(name, "") for name in ("name", "phone")} | {"email": data["email"]}


class ResolutionForm(AccessibleFormMixin, forms.Form):
    resolution = forms.CharField(
        label=_("Итог для гражданина"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TransferForm(AccessibleFormMixin, forms.Form):
    to = forms.ModelChoiceField(label=_("Кому передать"), queryset=None)
    note = forms.CharField(
        label=_("Заметка для коллеги"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = staff_colleagues(user=user)
        # Colleagues by name, as people know each other (the login is a technicality).
        self.fields["to"].label_from_instance = person_name
