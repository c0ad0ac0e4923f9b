"""The chat's forms (the pages without JavaScript post them; the script posts the same)."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import AccessibleFormMixin
from support.appeals.models import Topic
from support.appeals.rules import CONSENT_REQUIRED
from support.appeals.selectors import topics_active
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


class LeaveMessageForm(AccessibleFormMixin, forms.Form):
    topic = forms.ModelChoiceField(label=_("Тема"), queryset=Topic.objects.none())
    email = forms.EmailField(
        label=_("E-mail для уведомлений"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(
        label=_("Согласен на обработку персональных данных"),
        error_messages={"required": CONSENT_REQUIRED},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = topics_active()


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
