import re
from collections.abc import Callable

from django import forms
from django.http import QueryDict
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.catalogue.models import ServiceType
from portal.catalogue.selectors import CatalogueQuery, Sort
from portal.forms import AccessibleFormMixin
from portal.search.analysis import MAX_QUERY_LENGTH

# A page number is a page number; anything longer is not a page a person asked for.
MAX_PAGE = 100_000
REGION_CODE_RE = re.compile(r"^[0-9]{1,3}$")
CATEGORY_SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]{1,80}$")
MAX_CSV_BYTES = 5 * 1024 * 1024
CSV_TOO_BIG = format_lazy(
    gettext_lazy("Файл больше {megabytes} МБ: разделите его на части."),
    megabytes=MAX_CSV_BYTES // (1024 * 1024),
)
ONLINE_YES = {"1", "on", "true", "yes", "да"}
ONLINE_VALUES = ONLINE_YES | {"0", "off", "false", "no", "нет"}

# The parameters a filter link may carry, in the order their notices are said: the shape a
# value must have, and what the page says when it has not (and the filter is dropped).
PARAMETERS: dict[str, tuple[Callable[[str], object], Promise]] = {
    "type": (
        lambda value: value in ServiceType.values,
        gettext_lazy("Тип услуги «%(value)s» не существует: фильтр по типу не применён."),
    ),
    "region": (
        REGION_CODE_RE.match,
        gettext_lazy("Регион «%(value)s» указан неверно: фильтр по региону не применён."),
    ),
    "category": (
        CATEGORY_SLUG_RE.match,
        gettext_lazy("Категория «%(value)s» указана неверно: фильтр по категории не применён."),
    ),
    "online": (
        lambda value: value.lower() in ONLINE_VALUES,
        gettext_lazy("Значение «%(value)s» для фильтра «Можно подать онлайн» не распознано."),
    ),
    "sort": (
        lambda value: value in Sort.values,
        gettext_lazy("Сортировки «%(value)s» нет: результаты по релевантности."),
    ),
    "page": (
        lambda value: bool(re.fullmatch(r"[0-9]+", value) and value.strip("0")),
        gettext_lazy("Номер страницы «%(value)s» не понят: показана первая страница."),
    ),
}


class CatalogueFilterForm:
    """Reads /services/ parameters leniently: a bad value is dropped with a notice, never a 400.

    Links get shared, edited by hand and truncated; the catalogue still answers with
    what it could understand and says what it ignored. Whether a region or category
    exists is the selector's business; here only the shape of each value is checked.
    """

    def __init__(self, data: QueryDict) -> None:
        self.data = data
        self.notices: list[str] = []

    def _value(
        self, name: str, *, valid: Callable[[str], object], invalid_notice: str | Promise
    ) -> str:
        """The first valid value of a parameter that may be repeated, else "" with a notice."""
        values = [value.strip() for value in self.data.getlist(name) if value.strip()]
        chosen = next((value for value in values if valid(value)), "")
        if values and not chosen:
            self.notices.append(invalid_notice % {"value": values[0][:50]})
        elif len(set(values)) > 1:
            self.notices.append(
                _("Параметр «%(name)s» указан несколько раз: использовано значение «%(value)s».")
                % {"name": name, "value": chosen[:50]}
            )
        return chosen

    def query(self) -> CatalogueQuery:
        self.notices = []
        q = next((value for value in self.data.getlist("q") if value.strip()), "")
        q = q[: MAX_QUERY_LENGTH * 4].strip()
        value = {
            name: self._value(name, valid=valid, invalid_notice=notice)
            for name, (valid, notice) in PARAMETERS.items()
        }
        page = 1
        if value["page"]:
            # Past the end is the selector's to answer (the last page), however far.
            page = MAX_PAGE if len(value["page"]) > 9 else min(int(value["page"]), MAX_PAGE)
        return CatalogueQuery(
            q=q,
            service_type=value["type"],
            region=value["region"].zfill(2) if value["region"] else "",
            category=value["category"],
            online=value["online"].lower() in ONLINE_YES,
            sort=value["sort"] or Sort.RELEVANCE,
            page=page,
        )


class ServiceImportForm(AccessibleFormMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Файл CSV"),
        help_text=gettext_lazy(
            "UTF-8 или Windows-1251, разделитель «;» или «,». Первая строка — названия "
            "столбцов, как в выгрузке. Услуги сопоставляются по номеру."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(CSV_TOO_BIG)
        return upload
