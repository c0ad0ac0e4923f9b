from django import forms
from django.utils.translation import gettext_lazy as _

from faq.actions import COMMENT_TOO_LONG, MAX_COMMENT
from portal.forms import AccessibleFormMixin
from portal.search.analysis import MAX_QUERY_LENGTH, printable


class SearchForm(forms.Form):
    # Longer input is accepted and cut, never refused: a pasted paragraph still searches.
    q = forms.CharField(label=_("Поиск по вопросам и ответам"), required=False)
    page = forms.IntegerField(required=False, min_value=1)

    def query(self) -> str:
        """What to search for; never an error: NUL bytes and the like are dropped."""
        raw = self.data.get("q") or ""
        return " ".join(printable(raw[: MAX_QUERY_LENGTH * 4]).split())

    def page_number(self) -> int:
        try:
            return max(1, int(self.data.get("page") or 1))
        except ValueError:
            return 1


class VoteForm(AccessibleFormMixin, forms.Form):
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
        error_messages={"max_length": COMMENT_TOO_LONG},
    )
