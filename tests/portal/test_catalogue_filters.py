"""The catalogue's filters agree wherever they are applied.

The page without words (ORM), the statement over the words' matches (SQL) and the
counts next to every filter value (Python, over a cube) all read one definition of
the filters. Here a few hundred random combinations over a random catalogue are
checked against plain Python filtering of the services.
"""

import math
import random
from dataclasses import dataclass

import pytest

from portal.catalogue.models import Region, ServiceStatus, ServiceType
from portal.catalogue.selectors import CatalogueQuery, Sort, catalogue_search
from tests.portal.catalogue_factories import ServiceCategoryFactory, ServiceFactory

pytestmark = pytest.mark.django_db

SEED = 20261125
COMBINATIONS = 300
PER_PAGE = 4
WORD = "пособие"  # in no category title and no type label: found only where a title has it
REGION_CODES = ["77", "16", "50", "02", "91"]
CATEGORY_SLUGS = ["passport", "transport", "family"]


@dataclass(frozen=True)
class Row:
    """A published service as plain data, for filtering by hand."""

    pk: int
    code: str
    title: str
    service_type: str
    category: str
    online: bool
    everywhere: bool
    regions: frozenset[str]
    popularity: int

    def in_region(self, code: str) -> bool:
        return self.everywhere or code in self.regions


@pytest.fixture
def rows() -> list[Row]:
    """About forty services with random types, categories, regions and flags; some drafts."""
    rng = random.Random(SEED)
    categories = {
        slug: ServiceCategoryFactory(slug=slug, title=f"Раздел {n}")
        for n, slug in enumerate(CATEGORY_SLUGS)
    }
    popularity = rng.sample(range(1000), 40)  # all different: one order for "popular"
    published = []
    for n in range(40):
        prefix = rng.choice(["Пособие", "Справка", "Оплата"])
        regional = rng.random() < 0.5
        regions = rng.sample(REGION_CODES[:4], rng.randint(1, 3)) if regional else None
        category = rng.choice(CATEGORY_SLUGS)
        service = ServiceFactory(
            code=str(60000000 + n),
            # The number right after the first word: the same order in any collation.
            title=f"{prefix} {n:03d} для граждан",
            category=categories[category],
            service_type=rng.choice(ServiceType.values),
            available_online=rng.random() < 0.6,
            available_in_person=True,
            popularity=popularity[n],
            status=ServiceStatus.DRAFT if rng.random() < 0.15 else ServiceStatus.PUBLISHED,
            regions=regions,
        )
        if service.status == ServiceStatus.PUBLISHED:
            published.append(
                Row(
                    pk=service.pk,
                    code=service.code,
                    title=service.title,
                    service_type=service.service_type,
                    category=category,
                    online=service.available_online,
                    everywhere=regions is None,
                    regions=frozenset(regions or []),
                    popularity=service.popularity,
                )
            )
    return published


def random_query(rng: random.Random) -> CatalogueQuery:
    def maybe(values: list[str], unknown: str) -> str:
        roll = rng.random()
        if roll < 0.4:
            return ""
        if roll < 0.45:
            return unknown  # ignored with a notice, as if not chosen
        return rng.choice(values)

    return CatalogueQuery(
        q=rng.choice(["", WORD]),
        service_type=rng.choice(["", *ServiceType.values]),
        region=maybe([*REGION_CODES, "05"], "999"),  # "05": a region nothing is offered in
        category=maybe(CATEGORY_SLUGS, "no-such-category"),
        online=rng.random() < 0.4,
        sort=rng.choice(Sort.values),
        page=rng.randint(1, 3),
    )


def expected_rows(rows: list[Row], query: CatalogueQuery, *, without: str = "") -> list[Row]:
    """The filters written out by hand: what the selector must agree with."""
    return [
        row
        for row in rows
        if (not query.q or WORD in row.title.lower())
        and (without == "type" or not query.service_type or row.service_type == query.service_type)
        and (without == "category" or not query.category or row.category == query.category)
        and (without == "online" or not query.online or row.online)
        and (without == "region" or not query.region or row.in_region(query.region))
    ]


def as_applied(query: CatalogueQuery) -> CatalogueQuery:
    """Unknown region and category codes are dropped by the selector."""
    known_region = query.region in REGION_CODES or query.region == "05"
    return CatalogueQuery(
        q=query.q,
        service_type=query.service_type,
        region=query.region if known_region else "",
        category=query.category if query.category in CATEGORY_SLUGS else "",
        online=query.online,
        sort=query.sort,
        page=query.page,
    )


def ordered(rows: list[Row], sort: str) -> list[Row]:
    if sort == Sort.TITLE:
        return sorted(rows, key=lambda row: (row.title, row.pk))
    return sorted(rows, key=lambda row: -row.popularity)


def counts_of(values) -> dict[str, int]:
    return {item.value: item.count for item in values}


def test_the_words_are_found_where_the_titles_have_them(rows):
    page = catalogue_search(query=CatalogueQuery(q=WORD), per_page=100)
    expected = {row.code for row in rows if WORD in row.title.lower()}
    assert expected and len(expected) < len(rows)
    assert {hit.service.code for hit in page.hits} == expected


def test_random_filter_combinations_agree_with_filtering_by_hand(rows):
    rng = random.Random(SEED)
    all_region_codes = list(Region.objects.values_list("code", flat=True))
    seen_words = seen_empty = 0
    for _ in range(COMBINATIONS):
        asked = random_query(rng)
        query = as_applied(asked)
        page = catalogue_search(query=asked, per_page=PER_PAGE)
        context = f"{asked}"

        matching = expected_rows(rows, query)
        assert page.total == len(matching), context
        num_pages = max(1, math.ceil(len(matching) / PER_PAGE))
        assert page.num_pages == num_pages, context
        number = min(query.page, num_pages)
        assert page.page_number == number, context
        codes = [hit.service.code for hit in page.hits]
        if query.sort == Sort.RELEVANCE and query.q:
            # Ranked by the search engine: the page holds the right number of matches.
            wanted = {row.code for row in matching}
            assert len(codes) == len(matching[(number - 1) * PER_PAGE :][:PER_PAGE]), context
            assert set(codes) <= wanted, context
        else:
            sort = Sort.POPULAR if query.sort == Sort.RELEVANCE else query.sort
            window = ordered(matching, sort)[(number - 1) * PER_PAGE : number * PER_PAGE]
            assert codes == [row.code for row in window], context

        facets = page.facets
        by_type = expected_rows(rows, query, without="type")
        assert facets.types_any == len(by_type), context
        assert counts_of(facets.types) == {
            value: sum(row.service_type == value for row in by_type) for value in ServiceType.values
        }, context
        by_category = expected_rows(rows, query, without="category")
        assert facets.categories_any == len(by_category), context
        assert counts_of(facets.categories) == {
            slug: sum(row.category == slug for row in by_category) for slug in CATEGORY_SLUGS
        }, context
        by_online = expected_rows(rows, query, without="online")
        assert facets.online_any == len(by_online), context
        assert facets.online == sum(row.online for row in by_online), context
        by_region = expected_rows(rows, query, without="region")
        assert facets.regions_any == len(by_region), context
        assert counts_of(facets.regions) == {
            code: sum(row.in_region(code) for row in by_region) for code in all_region_codes
        }, context

        seen_words += bool(query.q and matching)
        seen_empty += not matching
    # The combinations reached both paths and the empty answer, not only one of them.
    assert seen_words > 50 and seen_empty > 10
