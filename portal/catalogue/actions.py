"""Writing the catalogue: saving, publishing, the search index, CSV import."""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from portal.actions import Publishing, search_follow
from portal.catalogue import csv_format
from portal.catalogue.models import (
    Region,
    Service,
    ServiceCategory,
    ServiceDocument,
    ServiceStatus,
    ServiceType,
)
from portal.catalogue.selectors import SEARCH_KIND
from portal.content_language import ORIGINAL_LANGUAGE, original_text
from portal.search.actions import (
    search_documents_remove,
    search_index_rebuild_translated,
)
from portal.search.backends import IndexedText

REGIONS_REQUIRED = gettext_lazy("Выберите регионы, где доступна услуга, или отметьте «Вся Россия».")
MAX_REPORTED_ERRORS = 50
MAX_PROCESSING_DAYS = 32767  # the column is a PositiveSmallIntegerField


def _indexed(service: Service) -> IndexedText:
    """Title and summary weigh most; the number, type and department are found too.

    The checklist is left out: nearly every service asks for a passport, and a search
    for "паспорт" should find passport services, not the whole catalogue.
    """
    body = [
        service.code,
        service.category.title,
        service.get_service_type_display(),
        service.applicants,
        service.result,
        service.department,
    ]
    return IndexedText(
        object_id=service.pk,
        title=service.title,
        summary=service.summary,
        body="\n".join(part for part in body if part),
    )


def services_reindex(*, services: Iterable[Service]) -> None:
    """Put published services in the index and take the others out."""
    ids = [service.pk for service in services]
    search_follow(
        kind=SEARCH_KIND,
        items=Service.objects.filter(pk__in=ids).select_related("category"),
        published_status=ServiceStatus.PUBLISHED,
        indexed=_indexed,
    )


def catalogue_index_rebuild() -> int:
    services = list(Service.objects.published().select_related("category"))
    search_index_rebuild_translated(
        kind=SEARCH_KIND, documents=lambda: [_indexed(s) for s in services]
    )
    return len(services)


def service_regions_check(*, all_regions: bool, regions: Sequence[Region]) -> None:
    if not all_regions and not regions:
        raise ValidationError({"regions": REGIONS_REQUIRED})


def service_save(*, service: Service) -> Service:
    """Save an editor's change and keep the index in step, in one transaction."""
    return SERVICES.save(service)


SERVICES = Publishing(
    published_status=ServiceStatus.PUBLISHED,
    draft_status=ServiceStatus.DRAFT,
    reindex=lambda changed: services_reindex(services=changed),
)


def services_publish(*, services: Iterable[Service]) -> int:
    return SERVICES.set(services, publish=True)


def services_unpublish(*, services: Iterable[Service]) -> int:
    return SERVICES.set(services, publish=False)


def services_delete(*, services: Iterable[Service]) -> None:
    services = list(services)
    with transaction.atomic():
        search_documents_remove(kind=SEARCH_KIND, object_ids=[s.pk for s in services])
        Service.objects.filter(pk__in=[s.pk for s in services]).delete()


def service_view_record(*, service: Service) -> None:
    # One UPDATE without reading: concurrent readers never lose a count. Not through
    # save(), so neither updated_at nor the history changes for a page view.
    Service.objects.filter(pk=service.pk).update(popularity=F("popularity") + 1)


@dataclass(frozen=True)
class ImportReport:
    created: int
    updated: int  # rows whose values differ from the service's
    unchanged: int  # rows that say what the catalogue already says: not saved at all


@dataclass
class _ImportRow:
    line: int
    service: Service
    regions: list[Region] | None  # None: the column was absent, keep what is there
    documents: list[csv_format.DocumentCell] | None
    before: tuple | None  # what the existing service said before this row; None when new

    def changes(self) -> bool:
        if self.before is None:
            return True
        fields, regions, documents = self.before
        if _fields_state(self.service) != fields:
            return True
        if self.regions is not None:
            new_regions = [] if self.service.all_regions else self.regions
            if sorted(region.code for region in new_regions) != regions:
                return True
        if self.documents is not None:
            new_documents = [(d.title, d.note, d.is_required) for d in self.documents]
            if new_documents != documents:
                return True
        return False


TEXT_FIELDS = (models.CharField, models.TextField)


def _fields_state(service: Service) -> dict:
    # A translation never written is NULL, an emptied one "": the same to a citizen.
    return {
        field.attname: ("" if value is None and isinstance(field, TEXT_FIELDS) else value)
        for field in Service._meta.concrete_fields
        if field.editable and not field.primary_key
        for value in [getattr(service, field.attname)]
    }


def _service_state(service: Service) -> tuple:
    """What an import row can change, to tell a changed row from a repeated one."""
    return (
        _fields_state(service),
        sorted(region.code for region in service.regions.all()),
        [
            (original_text(d, "title"), original_text(d, "note"), d.is_required)
            for d in service.documents.all()
        ],
    )


def _choice(value: str, choices: list[tuple[str, str]]) -> str | None:
    """A choice given by its value or its label, case-insensitively."""
    wanted = value.strip().lower()
    for key, label in choices:
        if wanted in (key.lower(), str(label).lower()):
            return key
    return None


def _row_service(
    *,
    cells: dict[str, str],
    existing: Service | None,
    categories: dict[str, ServiceCategory],
    regions_by_code: dict[str, Region],
    errors: list[str],
    bad_fields: set[str],
) -> tuple[Service, list[Region] | None, list[csv_format.DocumentCell] | None]:
    """Apply one row's cells to a service (new or existing); problems go to `errors`.

    Fields already reported go to `bad_fields`, so model validation does not
    report them a second time in other words.
    """
    service = existing or Service(code=cells["code"])
    present = set(cells)
    text_fields = {
        "title": "title",
        "summary": "summary",
        "applicants": "applicants",
        "cost": "cost",
        "result": "result",
        "how_to_apply": "how_to_apply",
        "department": "department",
        "department_contacts": "department_contacts",
    }
    # The file carries the Russian original (see csv_format), whatever the admin's language.
    with translation.override(ORIGINAL_LANGUAGE):
        for column, field_name in text_fields.items():
            if column in present:
                setattr(service, field_name, cells[column])

    category = categories.get(cells["category"].lower())
    if category is None:
        errors.append(_("категория «%(value)s» не найдена") % {"value": cells["category"]})
        bad_fields.add("category")
    else:
        service.category = category

    service_type = _choice(cells["type"], ServiceType.choices)
    if service_type is None:
        errors.append(
            _("тип «%(value)s» неизвестен (допустимы: %(allowed)s)")
            % {"value": cells["type"], "allowed": ", ".join(ServiceType.values)}
        )
        bad_fields.add("service_type")
    else:
        service.service_type = service_type

    if "status" in present:
        status = _choice(cells["status"] or ServiceStatus.DRAFT, ServiceStatus.choices)
        if status is None:
            errors.append(_("статус «%(value)s» неизвестен") % {"value": cells["status"]})
            bad_fields.add("status")
        else:
            service.status = status

    if "processing_days" in present:
        days = cells["processing_days"]
        if not days:
            service.processing_days = None
        elif re.fullmatch(r"[0-9]{1,5}", days) and int(days) <= MAX_PROCESSING_DAYS:
            service.processing_days = int(days)
        else:
            errors.append(_("срок «%(value)s» — не целое число дней") % {"value": days})
            bad_fields.add("processing_days")

    flags = (("online", "available_online"), ("in_person", "available_in_person"))
    for column, field_name in flags:
        if column in present:
            flag = csv_format.parse_bool(cells[column])
            if flag is None:
                errors.append(
                    _("в столбце %(column)s нужно «да» или «нет», а не «%(value)s»")
                    % {"column": column, "value": cells[column]}
                )
                bad_fields.add(field_name)
            else:
                setattr(service, field_name, flag)

    regions: list[Region] | None = None
    if "regions" in present:
        codes = csv_format.parse_regions(cells["regions"])
        service.all_regions = codes is None
        regions = []
        for code in codes or []:
            if code in regions_by_code:
                regions.append(regions_by_code[code])
            else:
                errors.append(_("региона с кодом «%(code)s» нет") % {"code": code})
    elif existing is None:
        service.all_regions = True
        regions = []

    documents = csv_format.parse_documents(cells["documents"]) if "documents" in present else None
    return service, regions, documents


def _validation_messages(error: ValidationError) -> list[str]:
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    messages = []
    for field_name, field_errors in error.message_dict.items():
        try:
            label = str(Service._meta.get_field(field_name).verbose_name)
        except Exception:  # noqa: BLE001 — "__all__" and the like have no field
            label = ""
        for message in field_errors:
            messages.append(f"{label}: {message}" if label else message)
    return messages


def services_import(*, data: bytes) -> ImportReport:
    """Create or update services from an editor's CSV: all rows or none.

    Every row is checked before anything is written; each problem is reported with
    the line it is on. Services are matched by their number.
    """
    try:
        _header, rows = csv_format.read_rows(data)
    except csv_format.CsvFormatError as error:
        raise ValidationError([error.message]) from None
    if not rows:
        raise ValidationError([_("В файле нет ни одной услуги.")])

    categories: dict[str, ServiceCategory] = {}
    for category in ServiceCategory.objects.all():
        categories[category.title.lower()] = category
        categories[category.slug.lower()] = category
    regions_by_code = {region.code: region for region in Region.objects.all()}
    existing = Service.objects.prefetch_related("regions", "documents").in_bulk(
        [cells["code"] for _line, cells in rows], field_name="code"
    )

    errors: list[tuple[int, str]] = []
    parsed: list[_ImportRow] = []
    seen: dict[str, int] = {}
    for line, cells in rows:
        row_errors: list[str] = []
        bad_fields: set[str] = {"category"}  # checked above by slug or title
        code = cells["code"]
        if code in seen:
            row_errors.append(
                _("номер %(code)s уже встречался в строке %(line)s")
                % {"code": code, "line": seen[code]}
            )
        seen.setdefault(code, line)
        before = _service_state(existing[code]) if code in existing else None
        service, regions, documents = _row_service(
            cells=cells,
            existing=existing.get(code),
            categories=categories,
            regions_by_code=regions_by_code,
            errors=row_errors,
            bad_fields=bad_fields,
        )
        try:
            # Uniqueness of the number is settled above (matched or repeated), not per row.
            service.full_clean(exclude=sorted(bad_fields), validate_unique=False)
        except ValidationError as error:
            row_errors.extend(_validation_messages(error))
        if regions is not None and not service.all_regions and not regions and not row_errors:
            row_errors.append(str(REGIONS_REQUIRED))
        for document in documents or []:
            if len(document.title) > 300 or len(document.note) > 500:
                row_errors.append(_("слишком длинное название или пояснение документа"))
                break
        errors.extend(
            (line, _("Строка %(line)s: %(message)s") % {"line": line, "message": message})
            for message in row_errors
        )
        parsed.append(
            _ImportRow(
                line=line, service=service, regions=regions, documents=documents, before=before
            )
        )

    if errors:
        bad_rows = sorted({row for row, _message in errors})
        summary = ngettext(
            "Ошибки в %(count)d строке: %(rows)s.",
            "Ошибки в %(count)d строках: %(rows)s.",
            len(bad_rows),
        ) % {"count": len(bad_rows), "rows": ", ".join(map(str, bad_rows))}
        messages = [message for _row, message in errors]
        shown = [summary, *messages[:MAX_REPORTED_ERRORS]]
        if len(messages) > MAX_REPORTED_ERRORS:
            shown.append(
                _("…и ещё ошибок: %(count)s.") % {"count": len(messages) - MAX_REPORTED_ERRORS}
            )
        raise ValidationError(shown)

    changed = [row for row in parsed if row.changes()]
    created = sum(row.service.pk is None for row in changed)
    with transaction.atomic():
        # An unchanged row is not saved: no new history entry, no new "updated" date.
        for row in changed:
            row.service.save()
            if row.regions is not None:
                row.service.regions.set([] if row.service.all_regions else row.regions)
            if row.documents is not None:
                row.service.documents.all().delete()
                with translation.override(ORIGINAL_LANGUAGE):
                    documents = [
                        ServiceDocument(
                            service=row.service,
                            title=document.title,
                            note=document.note,
                            is_required=document.is_required,
                            order=position,
                        )
                        for position, document in enumerate(row.documents, start=1)
                    ]
                ServiceDocument.objects.bulk_create(documents)
        services_reindex(services=[row.service for row in changed])
    return ImportReport(
        created=created, updated=len(changed) - created, unchanged=len(parsed) - len(changed)
    )
