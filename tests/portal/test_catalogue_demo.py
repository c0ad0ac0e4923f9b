"""The regions as data and the demo catalogue."""

import pytest

from portal.catalogue.demo import seed_catalogue
from portal.catalogue.models import Region, Service, ServiceCategory, ServiceType
from portal.catalogue.selectors import CatalogueQuery, catalogue_search

pytestmark = pytest.mark.django_db


def test_all_89_federal_subjects_with_their_codes():
    regions = list(Region.objects.all())
    assert len(regions) == 89
    codes = {region.code for region in regions}
    assert len(codes) == 89
    assert {
        "01",
        "16",
        "77",
        "78",
        "79",
        "83",
        "86",
        "87",
        "89",
        "90",
        "91",
        "92",
        "93",
        "94",
        "95",
    } <= codes
    assert Region.objects.get(code="77").name == "Москва"
    assert Region.objects.get(code="16").name == "Республика Татарстан"
    # "Республика Татарстан" is listed under Т, next to Тамбовская область.
    names = [region.name for region in regions]
    assert names.index("Тамбовская область") < names.index("Республика Татарстан")


def test_demo_catalogue_is_rich_enough_and_idempotent():
    first = seed_catalogue()
    assert seed_catalogue() == first
    published = Service.objects.published()
    assert published.count() >= 60
    assert ServiceCategory.objects.filter(services__in=published).distinct().count() >= 10
    assert set(published.values_list("service_type", flat=True)) == set(ServiceType.values)
    regional = published.filter(all_regions=False)
    assert regional.exists()
    used = Region.objects.filter(services__in=regional).distinct().count()
    assert used >= 20
    assert all(service.documents.exists() for service in published)
    assert Service.objects.exclude(status="published").exists()  # a draft, for editors


def test_done_when_a_citizen_finds_the_criminal_record_certificate():
    seed_catalogue()
    page = catalogue_search(query=CatalogueQuery(q="справку о несудимост", region="16"))
    assert page.hits[0].service.title == "Справка о несудимости"
