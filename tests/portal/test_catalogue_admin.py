"""Editors' side: the service admin, bulk publishing, CSV import and export."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.catalogue import csv_format
from portal.catalogue.actions import REGIONS_REQUIRED, services_import
from portal.catalogue.models import Service, ServiceStatus
from portal.catalogue.selectors import CatalogueQuery, catalogue_search
from tests.portal.catalogue_factories import ServiceCategoryFactory, ServiceFactory
from tests.portal.factories import UserFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/catalogue/service/import/"
EXPORT_URL = "/admin/catalogue/service/export/"
HEADER = "code;title;summary;category;type;regions;documents;processing_days;online;status"


def found(words: str) -> list[str]:
    return [hit.service.code for hit in catalogue_search(query=CatalogueQuery(q=words)).hits]


@pytest.fixture
def categories():
    return {
        "passport": ServiceCategoryFactory(slug="passport", title="Паспорта"),
        "transport": ServiceCategoryFactory(slug="transport", title="Транспорт"),
    }


def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def import_refused(data: bytes) -> list[str]:
    """The messages of the import's refusal of `data` (which must be refused)."""
    with pytest.raises(ValidationError) as error:
        services_import(data=data)
    return error.value.messages


def upload(client, data: bytes, name: str = "services.csv"):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, data, "text/csv")})


# --- Import -----------------------------------------------------------------------------------


def test_editor_imports_services_with_regions_and_checklists(client, editor, categories):
    data = csv_bytes(
        HEADER,
        "30000001;Справка о несудимости;Справка для работы.;passport;certificate;все;"
        '"Паспорт гражданина РФ\nДокумент о смене ФИО | если менялась | необязательный";30;да;'
        "published",
        "30000002;Парковочное разрешение;Парковка у дома.;Транспорт;Подать заявление;77, 16;;3;"
        "да;published",
    )
    client.force_login(editor)
    response = upload(client, data)
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == reverse("admin:catalogue_service_changelist")

    certificate = Service.objects.get(code="30000001")
    assert certificate.all_regions
    documents = list(certificate.documents.values_list("title", "note", "is_required", "order"))
    assert documents == [
        ("Паспорт гражданина РФ", "", True, 1),
        ("Документ о смене ФИО", "если менялась", False, 2),
    ]
    parking = Service.objects.get(code="30000002")
    assert not parking.all_regions
    assert sorted(parking.regions.values_list("code", flat=True)) == ["16", "77"]
    assert parking.category.slug == "transport"
    assert parking.service_type == "application"
    # The index follows the import.
    assert found("несудимости") == ["30000001"]


def test_a_bad_row_is_reported_by_line_and_nothing_is_imported(client, editor, categories):
    existing = ServiceFactory(
        code="30000009", title="Старое название", category=categories["passport"]
    )
    data = csv_bytes(
        HEADER,
        "30000009;Новое название;Описание.;passport;certificate;все;;5;да;published",
        '30000010;Хорошая услуга;Описание.;passport;certificate;все;"Паспорт\nСНИЛС";5;да;'
        "published",
        "30000011;Плохой тип;Описание.;passport;teleport;все;;5;да;published",
        "30000012;Плохой регион;Описание.;nope;certificate;77, 999;;пять;может быть;published",
        "abc;;Описание.;passport;certificate;все;;5;да;published",
        "30000010;Повтор;Описание.;passport;certificate;все;;5;да;published",
    )
    client.force_login(editor)
    response = upload(client, data)
    assert response.status_code == 400
    content = response.content.decode()
    assert "Ничего не импортировано" in content
    # Rows as the spreadsheet numbers them: the two-line cell in row 3 is still one row.
    assert "Ошибки в 4 строках: 4, 5, 6, 7." in content
    assert "Строка 4: тип «teleport» неизвестен" in content
    assert "Строка 4: тип услуги:" not in content  # said once, not twice in other words
    assert "Строка 5: категория «nope» не найдена" in content
    assert "Строка 5: региона с кодом «999» нет" in content
    assert "Строка 5: срок «пять» — не целое число дней" in content
    assert "Строка 5: в столбце online нужно «да» или «нет», а не «может быть»" in content
    assert "Строка 6: номер услуги: Номер услуги — только цифры" in content
    assert "Строка 6: название: Это поле не может быть пустым." in content
    assert "Строка 7: номер 30000010 уже встречался в строке 3" in content
    # Nothing half-done: no new services, the existing one untouched, the index unchanged.
    assert Service.objects.count() == 1
    existing.refresh_from_db()
    assert existing.title == "Старое название"
    assert found("хорошая") == []


def test_import_reads_excel_s_windows_1251_with_commas(editor, categories):
    data = csv_bytes(
        "code,title,summary,category,type",
        "30000020,Замена водительского удостоверения,Новые права.,transport,change",
        encoding="cp1251",
    )
    report = services_import(data=data)
    assert (report.created, report.updated, report.unchanged) == (1, 0, 0)
    service = Service.objects.get(code="30000020")
    assert service.title == "Замена водительского удостоверения"
    assert service.status == ServiceStatus.DRAFT
    assert service.all_regions


def test_columns_missing_from_the_file_are_left_alone_on_update(categories):
    service = ServiceFactory(
        code="30000030",
        category=categories["passport"],
        cost="Госпошлина 1 500 ₽",
        regions=["77"],
        documents=["Паспорт"],
    )
    services_import(
        data=csv_bytes(
            "code;title;summary;category;type",
            "30000030;Новое название;Новое описание.;passport;change",
        )
    )
    service.refresh_from_db()
    assert service.title == "Новое название"
    assert service.cost == "Госпошлина 1 500 ₽"
    assert list(service.regions.values_list("code", flat=True)) == ["77"]
    assert list(service.documents.values_list("title", flat=True)) == ["Паспорт"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Файл пуст."),
        (b"code;title\r\n", "нет обязательных столбцов: summary, category, type"),
        (b"code;title;summary;category;type;colour\r\n", "неизвестные столбцы: colour"),
        (b"code;title;summary;category;type\r\n", "В файле нет ни одной услуги."),
        (b"\xff\xfe\x00\x00garbage\x81", "Строка 1"),
    ],
)
def test_a_broken_file_is_refused_as_a_whole(categories, data, message):
    messages = import_refused(data)
    assert any(message in text for text in messages), messages


def test_regional_service_without_regions_is_refused(categories):
    messages = import_refused(
        csv_bytes(
            "code;title;summary;category;type;regions",
            "30000040;Услуга;Описание.;passport;change;, ;",
        )
    )
    # ", " is not "all of Russia" but names no region either.
    assert messages == ["Ошибки в 1 строке: 2.", f"Строка 2: {REGIONS_REQUIRED}"]


# --- Export -----------------------------------------------------------------------------------


def test_export_opens_in_excel_and_imports_back_unchanged(client, editor, categories):
    ServiceFactory(
        code="30000050",
        title='=HYPERLINK("http://evil")',
        summary='Описание; с точкой с запятой и "кавычками".',
        category=categories["transport"],
        regions=["77", "50"],
        documents=["Паспорт", "СНИЛС"],
        how_to_apply="Шаг один.\nШаг два.",
    )
    ServiceFactory(
        code="30000051",
        title="Черновик",
        category=categories["passport"],
        status=ServiceStatus.DRAFT,
    )
    client.force_login(editor)
    response = client.get(EXPORT_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="services-')
    data = b"".join(response.streaming_content)
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == csv_format.COLUMNS
    assert [row[0] for row in rows[1:]] == ["30000050", "30000051"]
    assert rows[1][1] == '\'=HYPERLINK("http://evil")'  # shown as text, never run
    assert rows[1][5] == "50, 77"

    before = {
        s.code: (s.title, s.summary, s.how_to_apply, s.status, s.all_regions)
        for s in Service.objects.all()
    }
    report = services_import(data=data)
    # The file says what the catalogue says: nothing counts as updated.
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    after = {
        s.code: (s.title, s.summary, s.how_to_apply, s.status, s.all_regions)
        for s in Service.objects.all()
    }
    assert after == before
    assert list(Service.objects.get(code="30000050").documents.values_list("title", flat=True)) == [
        "Паспорт",
        "СНИЛС",
    ]


def test_export_action_on_selected_services(client, editor, categories):
    first = ServiceFactory(code="30000060", category=categories["passport"])
    ServiceFactory(code="30000061", category=categories["passport"])
    client.force_login(editor)
    response = client.post(
        reverse("admin:catalogue_service_changelist"),
        {"action": "export_csv", "_selected_action": [first.pk]},
    )
    data = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "30000060" in data
    assert "30000061" not in data


# --- Permissions ------------------------------------------------------------------------------


def test_anonymous_cannot_import_or_export(client):
    for url in (IMPORT_URL, EXPORT_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    assert upload(client, b"code\r\n").status_code == 302


def test_staff_without_catalogue_rights_gets_403(client):
    client.force_login(UserFactory(username="staff-only", is_staff=True))
    assert client.get(IMPORT_URL).status_code == 403
    assert client.get(EXPORT_URL).status_code == 403


def test_editor_sees_the_import_page_and_the_changelist_links(client, editor):
    client.force_login(editor)
    page = client.get(IMPORT_URL)
    assert page.status_code == 200
    assert "Импорт услуг из CSV" in page.content.decode()
    changelist = client.get(reverse("admin:catalogue_service_changelist")).content.decode()
    assert IMPORT_URL in changelist
    assert EXPORT_URL in changelist


def test_content_editors_have_the_catalogue_permissions(editor):
    for codename in [
        "add_service",
        "change_service",
        "delete_service",
        "view_service",
        "add_servicedocument",
        "change_servicecategory",
        "view_region",
    ]:
        assert editor.has_perm(f"catalogue.{codename}"), codename
    assert not editor.has_perm("catalogue.change_region")


# --- The admin itself -------------------------------------------------------------------------


def test_bulk_publish_and_unpublish_keep_the_search_in_step(client, editor, categories):
    service = ServiceFactory(
        code="30000070",
        title="Выписка из ЕГРН",
        category=categories["passport"],
        status=ServiceStatus.DRAFT,
    )
    client.force_login(editor)
    changelist = reverse("admin:catalogue_service_changelist")
    client.post(changelist, {"action": "publish", "_selected_action": [service.pk]})
    assert found("выписка егрн") == ["30000070"]
    client.post(changelist, {"action": "unpublish", "_selected_action": [service.pk]})
    assert found("выписка егрн") == []


def _form_data(category, **changes) -> dict:
    data = {
        "code": "30000080",
        "title_ru": "Запись к врачу",
        "summary_ru": "Запись на приём в поликлинику.",
        "category": category.pk,
        "service_type": "appointment",
        "applicants": "",
        "processing_days": "",
        "cost": "",
        "result": "",
        "how_to_apply": "",
        "available_online": "on",
        "all_regions": "",
        "department": "",
        "department_contacts": "",
        "status": "published",
        "documents-TOTAL_FORMS": "1",
        "documents-INITIAL_FORMS": "0",
        "documents-MIN_NUM_FORMS": "0",
        "documents-MAX_NUM_FORMS": "1000",
        "documents-0-order": "1",
        "documents-0-title_ru": "Полис ОМС",
        "documents-0-note_ru": "",
        "documents-0-is_required": "on",
    }
    data.update(changes)
    return data


def test_a_regional_service_needs_its_regions(client, editor, categories):
    client.force_login(editor)
    response = client.post(
        reverse("admin:catalogue_service_add"), _form_data(categories["passport"])
    )
    assert response.status_code == 200
    assert str(REGIONS_REQUIRED) in response.content.decode()
    assert not Service.objects.exists()


def test_editor_adds_a_service_with_its_checklist_and_it_is_found(client, editor, categories):
    from tests.portal.catalogue_factories import region

    client.force_login(editor)
    response = client.post(
        reverse("admin:catalogue_service_add"),
        _form_data(categories["passport"], regions=[region("77").pk, region("78").pk]),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    service = Service.objects.get(code="30000080")
    assert list(service.documents.values_list("title", flat=True)) == ["Полис ОМС"]
    assert service.history.count() == 1
    assert found("запись к врачу") == ["30000080"]


def test_deleting_in_the_admin_removes_from_the_search(client, editor, categories):
    service = ServiceFactory(
        code="30000090", title="Выписка из ЕГРН", category=categories["passport"]
    )
    client.force_login(editor)
    client.post(reverse("admin:catalogue_service_delete", args=[service.pk]), {"post": "yes"})
    assert not Service.objects.exists()
    assert found("выписка") == []


# --- What the import reports -------------------------------------------------------------------


def exported(*services: Service) -> list[list[str]]:
    return [csv_format.service_cells(service) for service in services]


def as_csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(csv_format.COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue().encode()


@pytest.fixture
def catalogue(categories):
    services = [
        ServiceFactory(
            code=f"3100000{n}",
            category=categories["passport"],
            regions=["77"],
            documents=["Паспорт", "СНИЛС"],
            how_to_apply="Шаг один.\nШаг два.",  # a two-line cell in every row
        )
        for n in range(5)
    ]
    return list(Service.objects.filter(pk__in=[s.pk for s in services]).order_by("code"))


def test_one_changed_row_among_many_is_one_update(client, editor, catalogue):
    rows = exported(*catalogue)
    rows[2][1] = "Новое название"
    history_before = Service.history.count()
    stamps = {s.code: s.updated_at for s in catalogue}
    client.force_login(editor)
    response = upload(client, as_csv(rows))
    assert response.status_code == 302
    message = str(list(response.wsgi_request._messages)[0])
    assert message == "Импорт завершён: новых услуг — 0, изменено — 1, без изменений — 4."
    # The unchanged rows were not saved at all: no history entry, the same "updated" date.
    assert Service.history.count() == history_before + 1
    for service in Service.objects.exclude(code=catalogue[2].code):
        assert service.updated_at == stamps[service.code]
    assert Service.objects.get(code=catalogue[2].code).title == "Новое название"


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("documents", "Паспорт\nСНИЛС | копия"),
        ("documents", "Паспорт"),
        ("regions", "77, 50"),
        ("regions", "все"),
        ("in_person", "да"),
        ("processing_days", "12"),
        ("status", "draft"),
    ],
)
def test_a_change_in_any_column_counts_as_an_update(catalogue, column, value):
    rows = exported(*catalogue)
    rows[0][csv_format.COLUMNS.index(column)] = value
    report = services_import(data=as_csv(rows))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 4)


def test_new_changed_and_unchanged_together(catalogue, categories):
    rows = exported(*catalogue)
    rows[1][2] = "Другое описание."
    new = list(rows[0])
    new[0] = "31000099"
    report = services_import(data=as_csv([*rows, new]))
    assert (report.created, report.updated, report.unchanged) == (1, 1, 4)


def test_error_rows_are_numbered_as_the_spreadsheet_shows_them(catalogue):
    rows = exported(*catalogue)
    rows[3][4] = "teleport"  # the fifth row of the sheet, after four rows of two lines each
    messages = import_refused(as_csv(rows))
    assert messages[0] == "Ошибки в 1 строке: 5."
    assert messages[1].startswith("Строка 5: тип «teleport» неизвестен")


def test_an_empty_row_in_the_sheet_keeps_its_number(categories):
    messages = import_refused(
        csv_bytes(
            "code;title;summary;category;type",
            "30000070;Услуга;Описание.;passport;change",
            ";;;;",
            "30000071;Услуга;Описание.;passport;teleport",
        )
    )
    assert messages[1].startswith("Строка 4: тип «teleport» неизвестен")
