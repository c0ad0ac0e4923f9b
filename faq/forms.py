from django import forms
from django.utils.translation import gettext_lazy as _

from faq.actions import MAX_COMMENT
from portal.search.analysis import MAX_QUERY_LENGTH


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Поиск по вопросам и ответам"),
        required=False,
        # Longer input is accepted and cut, never refused: a pasted paragraph still searches.
        strip=True,
    )
    page = forms.IntegerField(required=False, min_value=1)

    def query(self) -> str:
        if not self.is_valid():
            return (self.data.get("q") or "")[: MAX_QUERY_LENGTH * 4]
        return self.cleaned_data["q"][: MAX_QUERY_LENGTH * 4]

    def page_number(self) -> int:
        if self.is_valid() and self.cleaned_data["page"]:
            return self.cleaned_data["page"]
        return 1


class VoteForm(forms.Form):
    helpful = forms.TypedChoiceField(
        label=_("Был ли ответ полезен?"),
        choices=[("yes", _("Да")), ("no", _("Нет"))],
        coerce=lambda value: value == "yes",
        required=False,
    )
    comment = forms.CharField(
        label=_("Что можно улучшить? (необязательно)"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Комментарий не длиннее 1000 символов.")},
    )
