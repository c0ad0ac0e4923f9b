"""The catalogue's filters fold on phones behind a summary that says how many are chosen."""

import re

import pytest

from portal.catalogue.models import ServiceType
from tests.portal.catalogue_factories import ServiceCategoryFactory, ServiceFactory

pytestmark = pytest.mark.django_db

INDEX = "/services/"


@pytest.fixture
def catalogue():
    docs = ServiceCategoryFactory(slug="passport", title="Паспорта")
    ServiceFactory(
        code="10020001",
        title="Справка о несудимости",
        category=docs,
        service_type=ServiceType.CERTIFICATE,
    )
    ServiceFactory(
        code="10010001", title="Замена паспорта", category=docs, service_type=ServiceType.CHANGE
    )


def summary(content: str) -> str:
    """The fold's summary as a reader hears it: tags dropped, spaces squeezed."""
    match = re.search(r'<summary class="catalogue__fold-summary">(.*?)</summary>', content, re.S)
    assert match, "the filters are not folded behind a summary"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def test_the_filters_are_folded_and_closed_by_default(client, catalogue):
    content = client.get(INDEX).content.decode()
    fold = re.search(r"<details[^>]*data-catalogue-fold[^>]*>", content).group(0)
    assert " open" not in fold
    # The filters themselves are inside the fold, so a phone shows the results first.
    assert content.index("data-catalogue-fold") < content.index('id="catalogue-filters"')
    assert content.index('id="catalogue-filters"') < content.index("</details>")
    assert summary(content) == "Фильтры (не выбраны)"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "certificate"}, "Фильтры (выбрано: 1)"),
        ({"type": "certificate", "category": "passport", "online": "1"}, "Фильтры (выбрано: 3)"),
        # The order of results is not a filter.
        ({"sort": "title"}, "Фильтры (не выбраны)"),
        # A value the catalogue refuses is not applied, so it is not counted either.
        ({"type": "no-such-type", "region": "999"}, "Фильтры (не выбраны)"),
    ],
)
def test_the_summary_counts_the_filters_applied(client, catalogue, params, expected):
    assert summary(client.get(INDEX, params).content.decode()) == expected


def test_an_htmx_update_refreshes_the_count_and_leaves_the_fold_alone(client, catalogue):
    response = client.get(
        INDEX,
        {"type": "certificate", "category": "passport"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="catalogue-results",
    )
    content = response.content.decode()
    assert (
        '<span id="catalogue-filter-count" class="catalogue__fold-count" hx-swap-oob="true">'
        "(выбрано: 2)</span>" in content
    )
    # Swapping the <details> itself would close it under the citizen's finger.
    assert "data-catalogue-fold" not in content


def test_the_count_is_in_english_too(client, catalogue):
    client.cookies["django_language"] = "en"
    content = client.get(INDEX, {"type": "certificate"}).content.decode()
    assert summary(content) == "Filters (1 selected)"
