"""Forms parse; the actions decide (hours, capacity, phone rules)."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import AccessibleFormMixin
from support.callbacks.models import Topic
from support.callbacks.selectors import slot_value_parse
from support.centre.contacts import CONSENT_REQUIRED, MAX_NAME, NAME_REQUIRED


class SlotField(forms.ChoiceField):
    """A select of the free slots that accepts any well-formed time: whether the time is
    inside the hours and still free is the action's answer, with its own message."""

    def valid_value(self, value: str) -> bool:
        return slot_value_parse(value) is not None

    def to_python(self, value) -> str:
        return (value or "").strip()


class SlotForm(AccessibleFormMixin, forms.Form):
    slot = SlotField(
        label=_("Время звонка"),
        help_text=_("Московское время. Показано только время, на которое ещё есть места."),
        error_messages={
            "required": _("Выберите время звонка."),
            "invalid_choice": _("Выберите время из списка."),
        },
    )

    def __init__(self, *args, choices: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [("", _("— выберите время —")), *choices]

    @property
    def starts_at(self) -> datetime.datetime | None:
        return slot_value_parse(self.cleaned_data.get("slot", ""))


class BookForm(SlotForm):
    phone = forms.CharField(
        label=_("Телефон"),
        max_length=40,
        help_text=_("Российский номер, например +7 916 123-45-67."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
        error_messages={"required": _("Укажите номер телефона, на который позвонить.")},
    )
    topic = forms.ChoiceField(
        label=_("Тема"),
        choices=[("", _("— выберите тему —")), *Topic.choices],
        error_messages={
            "required": _("Выберите тему звонка."),
            "invalid_choice": _("Выберите тему из списка."),
        },
    )
    field_order = ["phone", "topic", "slot"]


class VisitorBookForm(BookForm):
    """A call-back without an account: a name to ask for, and consent to keep it and the
    number. Whether the name and number will do is `support.centre.contacts`' answer (the
    required marks here say the same words)."""

    name = forms.CharField(
        label=_("Как к вам обращаться"),
        max_length=MAX_NAME,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": NAME_REQUIRED},
    )
    consent = forms.BooleanField(
        label=_("Согласен на обработку персональных данных"),
        error_messages={"required": CONSENT_REQUIRED},
    )
    field_order = ["name", "phone", "topic", "slot", "consent"]
