from django import forms
from django.utils.translation import gettext_lazy as _

from support.cabinet.selectors import Sort, State, TrackerQuery, tracker_kind_choices

STATE_CHOICES = [
    (State.ACTIVE, _("Активные")),
    (State.NEEDS_ACTION, _("Ждут моего действия")),
    (State.FINISHED, _("Завершённые")),
    (State.ALL, _("Все")),
]
SORT_CHOICES = [
    (Sort.CHANGED, _("сначала недавно изменённые")),
    (Sort.EXPECTED, _("по ожидаемой дате")),
    (Sort.NUMBER, _("по номеру")),
]


class TrackerFilterForm(forms.Form):
    """The list's state in the URL; a bad value falls back to the default, never an error."""

    state = forms.ChoiceField(label=_("Показать"), choices=STATE_CHOICES, required=False)
    kind = forms.ChoiceField(label=_("Вид"), required=False)
    number = forms.CharField(label=_("Номер"), max_length=20, required=False)
    sort = forms.ChoiceField(label=_("Порядок"), choices=SORT_CHOICES, required=False)
    page = forms.IntegerField(min_value=1, max_value=10_000, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Все виды")), *tracker_kind_choices()]

    def query(self) -> TrackerQuery:
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields}
        number = "".join(ch for ch in (self.data.get("number") or "") if ch.isdigit())[:20]
        return TrackerQuery(
            state=State(data["state"] or State.ACTIVE),
            kind=data["kind"] or "",
            number=number,
            sort=Sort(data["sort"] or Sort.CHANGED),
            page=data["page"] or 1,
        )
