"""/api/v1/services/: the site's search, filters and counts, and a service by its number."""

import pytest
from django.core.management import call_command

from portal.catalogue.models import ServiceStatus, ServiceType
from tests.portal.catalogue_factories import ServiceCategoryFactory, ServiceFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/services/"


@pytest.fixture
def services():
    category = ServiceCategoryFactory(slug="security", title="Безопасность")
    transport = ServiceCategoryFactory(slug="transport", title="Транспорт")
    return [
        ServiceFactory(
            code="10020001",
            title="Справка о несудимости",
            category=category,
            documents=["Паспорт гражданина РФ"],
        ),
        ServiceFactory(
            code="10030001",
            title="Оплата штрафов ГИБДД",
            category=transport,
            service_type=ServiceType.PAYMENT,
        ),
        ServiceFactory(
            code="10030006",
            title="Резидентное парковочное разрешение",
            category=transport,
            service_type=ServiceType.APPLICATION,
            regions=["77"],
        ),
        ServiceFactory(code="10099999", title="Черновик справки", status=ServiceStatus.DRAFT),
    ]


def test_search_with_filters_and_counts(client, services):
    response = client.get(LIST, {"q": "справку о несудимост", "region": "50"})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    assert [item["code"] for item in data["results"]] == ["10020001"]
    result = data["results"][0]
    assert result["url"] == "/services/10020001/"
    assert result["category"] == {"slug": "security", "title": "Безопасность"}
    types = {item["value"]: item["count"] for item in data["facets"]["type"]}
    assert types["certificate"] == 1
    assert types["payment"] == 0
    regions = {item["value"]: item for item in data["facets"]["region"]}
    assert regions["50"]["selected"]
    assert len(regions) == 89
    assert data["notices"] == []
    assert data["exact_match"] is None


def test_filters_counts_and_pages(client, services):
    data = client.get(LIST, {"type": "application", "region": "77", "category": "transport"}).json()
    assert [item["code"] for item in data["results"]] == ["10030006"]
    assert data["facets"]["type_any"] == 2
    assert data["facets"]["region_any"] == 1
    assert data["page"] == data["num_pages"] == 1
    assert data["next"] is None and data["previous"] is None


def test_bad_values_are_ignored_and_listed(client, services):
    data = client.get(LIST, {"type": "999", "region": "abc"}).json()
    assert data["count"] == 3
    assert len(data["notices"]) == 2


def test_a_number_is_reported_as_the_exact_match(client, services):
    data = client.get(LIST, {"q": "10030001"}).json()
    assert data["exact_match"]["code"] == "10030001"
    assert data["notices"] == []
    data = client.get(LIST, {"q": "10030009"}).json()
    assert data["exact_match"] is None
    assert data["notices"] == [
        "Услуги с номером 10030009 в каталоге нет. Проверьте номер или найдите услугу по названию."
    ]


def test_detail_by_number(client, services):
    response = client.get(f"{LIST}10020001/")
    assert response.status_code == 200
    data = response.json()
    assert data["title"] == "Справка о несудимости"
    assert data["documents"] == [
        {"title": "Паспорт гражданина РФ", "note": "", "is_required": True}
    ]
    assert data["memo_url"] == "/services/10020001/pamyatka.pdf"
    assert data["regions"] == []
    assert data["all_regions"] is True


def test_unknown_and_draft_numbers_are_404(client, services):
    assert client.get(f"{LIST}99999999/").status_code == 404
    assert client.get(f"{LIST}10099999/").status_code == 404
    assert client.get(f"{LIST}abc/").status_code == 404


def test_the_api_schema_is_valid(tmp_path):
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")
    )
    assert "/api/v1/services/{code}/" in (tmp_path / "schema.yml").read_text()
