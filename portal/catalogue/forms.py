import re
from collections.abc import Callable

from django import forms
from django.http import QueryDict
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


class CatalogueFilterForm:
    """Reads /services/ parameters leniently: a bad value is dropped with a notice, never a 400.

    Links get shared, edited by hand and truncated; the catalogue still answers with
    what it could understand and says what it ignored. Whether a region or category
    exists is the selector's business; here only the shape of each value is checked.
    """

    def __init__(self, data: QueryDict) -> None:
        self.data = data
        self.notices: list[str] = []

    def _value(self, name: str, *, valid: Callable[[str], object], invalid_notice: str) -> str:
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
        service_type = self._value(
            "type",
            valid=lambda value: value in ServiceType.values,
            invalid_notice=_("Тип услуги «%(value)s» не существует: фильтр по типу не применён."),
        )
        region = self._value(
            "region",
            valid=REGION_CODE_RE.match,
            invalid_notice=_("Регион «%(value)s» указан неверно: фильтр по региону не применён."),
        )
        region = region.zfill(2) if region else ""
        category = self._value(
            "category",
            valid=CATEGORY_SLUG_RE.match,
            invalid_notice=_(
                "Категория «%(value)s» указана неверно: фильтр по категории не применён."
            ),
        )
        online = (
            self._value(
                "online",
                valid=lambda value: value.lower() in ONLINE_VALUES,
                invalid_notice=_(
                    "Значение «%(value)s» для фильтра «Можно подать онлайн» не распознано."
                ),
            ).lower()
            in ONLINE_YES
        )
        sort = self._value(
            "sort",
            valid=lambda value: value in Sort.values,
            invalid_notice=_("Сортировки «%(value)s» нет: результаты по релевантности."),
        )
        page_value = self._value(
            "page",
            valid=lambda value: bool(re.fullmatch(r"[0-9]+", value) and value.strip("0")),
            invalid_notice=_("Номер страницы «%(value)s» не понят: показана первая страница."),
        )
        page = 1
        if page_value:
            # Past the end is the selector's to answer (the last page), however far.
            page = MAX_PAGE if len(page_value) > 9 else min(int(page_value), MAX_PAGE)

        return CatalogueQuery(
            q=q,
            service_type=service_type,
            region=region,
            category=category,
            online=online,
            sort=sort or Sort.RELEVANCE,
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
