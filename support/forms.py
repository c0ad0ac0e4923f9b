"""Forms of the contact pages: the region filter and the escalation of an appeal."""

from django import forms
from django.utils.translation import gettext_lazy as _

from support.appeals.forms import LookupForm
from support.appeals.rules import MAX_TEXT, TEXT_TOO_LONG


class RegionFilterForm(forms.Form):
    """A GET form: the region list is the regions that have an office."""

    region = forms.ChoiceField(label=_("Регион"), required=False)

    def __init__(self, *args, regions=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("Все регионы"))] + [
            (region.code, region.name) for region in regions
        ]

    @property
    def region_code(self) -> str:
        return self.cleaned_data.get("region", "") if self.is_valid() else ""


class EscalationForm(LookupForm):
    """The appeal by number + e-mail (as the lookup proves it), and why it goes upwards."""

    reason = forms.CharField(
        label=_("Почему вы просите передать обращение руководителю"),
        max_length=MAX_TEXT,
        help_text=_("Например: срок ответа истёк, ответ не решил вопрос."),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Напишите, почему нужна помощь руководителя."),
            "max_length": TEXT_TOO_LONG,
        },
    )
