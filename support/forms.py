"""Forms of the contact pages: the region filter and the escalation of an appeal."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import AccessibleFormMixin

REASON_MAX = 2000


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


class EscalationForm(AccessibleFormMixin, forms.Form):
    number = forms.CharField(
        label=_("Номер обращения"),
        max_length=20,
        help_text=_("8 цифр из письма или со страницы подтверждения."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _("Введите номер обращения.")},
    )
    email = forms.EmailField(
        label=_("Электронная почта, указанная в обращении"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": _("Укажите адрес электронной почты."),
            "invalid": _("Введите адрес электронной почты, например name@example.ru."),
        },
    )
    reason = forms.CharField(
        label=_("Почему вы просите передать обращение руководителю"),
        max_length=REASON_MAX,
        help_text=_("Например: срок ответа истёк, ответ не решил вопрос. До 2000 символов."),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Напишите, почему нужна помощь руководителя."),
            "max_length": _("Не больше 2000 символов."),
        },
    )

    def clean_number(self) -> str:
        return "".join(ch for ch in self.cleaned_data["number"] if ch.isdigit())
