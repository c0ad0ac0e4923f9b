"""Reading the service catalogue: search with filters and facet counts, a service page.

The words are matched inside SQL (a subquery on the search index), so the counts
next to every filter value cost the same few queries for ten services or fifty
thousand: one grouped "cube" query and one per-region query.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, TextChoices
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.catalogue import csv_format
from portal.catalogue.extensions import RelatedLink, related_links_for
from portal.catalogue.models import (
    Region,
    Service,
    ServiceCategory,
    ServiceDocument,
    ServiceType,
)
from portal.search import analysis
from portal.search.selectors import SearchMatch, search_match

SEARCH_KIND = "service"
PER_PAGE = 20
SNIPPET_LENGTH = 240
MAX_CODE_LENGTH = 20
# "№ 10000123", "10 000 123", "10-000-123": what people type when they quote a number.
NUMBER_RE = re.compile(r"^\s*(?:№|n|no\.?)?\s*([0-9][0-9 \-]*)\s*$", re.IGNORECASE)


class Sort(TextChoices):
    RELEVANCE = "relevance", gettext_lazy("по релевантности")
    POPULAR = "popular", gettext_lazy("по популярности")
    TITLE = "title", gettext_lazy("по названию")


@dataclass(frozen=True)
class CatalogueQuery:
    """What the citizen asked for, as read from the URL; every field has a safe default."""

    q: str = ""
    service_type: str = ""
    region: str = ""  # a region code
    category: str = ""  # a category slug
    online: bool = False
    sort: str = Sort.RELEVANCE
    page: int = 1

    def params(self, **changes: object) -> dict[str, str]:
        """The query string's parameters, defaults left out so URLs stay short."""
        query = replace(self, **changes)  # type: ignore[arg-type]
        params = {
            "q": query.q,
            "type": query.service_type,
            "region": query.region,
            "category": query.category,
            "online": "1" if query.online else "",
            "sort": "" if query.sort == Sort.RELEVANCE else query.sort,
            "page": "" if query.page == 1 else str(query.page),
        }
        return {key: value for key, value in params.items() if value}

    def urlencode(self, **changes: object) -> str:
        return urlencode(self.params(**changes))

    @property
    def has_filters(self) -> bool:
        return bool(self.service_type or self.region or self.category or self.online)


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facets:
    """How many results each filter value would give with the rest of the query kept."""

    types: list[FacetValue] = field(default_factory=list)
    types_any: int = 0
    categories: list[FacetValue] = field(default_factory=list)
    categories_any: int = 0
    regions: list[FacetValue] = field(default_factory=list)
    regions_any: int = 0
    online: int = 0
    online_any: int = 0


@dataclass(frozen=True)
class ServiceHit:
    service: Service
    title_html: SafeString
    summary_html: SafeString


@dataclass(frozen=True)
class HitGroup:
    category: ServiceCategory
    hits: list[ServiceHit]


@dataclass
class CataloguePage:
    """One page of the catalogue and what the citizen should be told about it."""

    query: CatalogueQuery  # as applied: unknown values dropped, the page brought in range
    hits: list[ServiceHit] = field(default_factory=list)
    total: int = 0
    num_pages: int = 1
    facets: Facets = field(default_factory=Facets)
    notices: list[str] = field(default_factory=list)
    corrected_query: str | None = None
    partial: bool = False
    region: Region | None = None
    category: ServiceCategory | None = None

    @property
    def page_number(self) -> int:
        return self.query.page

    @property
    def has_previous(self) -> bool:
        return self.page_number > 1

    @property
    def has_next(self) -> bool:
        return self.page_number < self.num_pages

    @property
    def is_empty(self) -> bool:
        return not self.hits

    @property
    def grouped(self) -> bool:
        return self.query.sort == Sort.RELEVANCE

    @property
    def groups(self) -> list[HitGroup]:
        """The page's hits under their categories, in the order the best of each comes."""
        groups: dict[int, HitGroup] = {}
        for hit in self.hits:
            category = hit.service.category
            if category.pk not in groups:
                groups[category.pk] = HitGroup(category=category, hits=[])
            groups[category.pk].hits.append(hit)
        return list(groups.values())

    def url_query(self, **changes: object) -> str:
        return self.query.urlencode(**changes)

    @property
    def reset_query(self) -> str:
        """The words alone, every filter removed."""
        return CatalogueQuery(q=self.query.q).urlencode()

    @property
    def previous_query(self) -> str:
        return self.url_query(page=self.page_number - 1)

    @property
    def next_query(self) -> str:
        return self.url_query(page=self.page_number + 1)


@dataclass(frozen=True)
class _Filters:
    """The resolved filters as SQL conditions, so each facet can leave its own one out."""

    service_type: str
    category: ServiceCategory | None
    region: Region | None
    online: bool

    def q(self, *, without: str = "") -> Q:
        condition = Q()
        if self.service_type and without != "type":
            condition &= Q(service_type=self.service_type)
        if self.category is not None and without != "category":
            condition &= Q(category_id=self.category.pk)
        if self.online and without != "online":
            condition &= Q(available_online=True)
        if self.region is not None and without != "region":
            condition &= Q(all_regions=True) | Q(_in_region(self.region))
        return condition


def _in_region(region: Region) -> Exists:
    return Exists(
        Service.regions.through.objects.filter(service_id=OuterRef("pk"), region_id=region.pk)
    )


def catalogue_number_lookup(*, q: str) -> Service | None:
    """The published service whose number the citizen typed, if the box holds only a number."""
    found = NUMBER_RE.match(q[:100])
    if found is None:
        return None
    code = re.sub(r"[ \-]", "", found.group(1))
    if not code or len(code) > MAX_CODE_LENGTH:
        return None
    return Service.objects.published().filter(code=code).first()


def _typed_number(q: str) -> str | None:
    found = NUMBER_RE.match(q[:100])
    return re.sub(r"[ \-]", "", found.group(1)) if found else None


def catalogue_search(*, query: CatalogueQuery, per_page: int = PER_PAGE) -> CataloguePage:
    """Published services matching the words and filters, with counts for every filter value.

    A constant number of queries whatever the size of the catalogue (tests pin it).
    """
    regions = list(Region.objects.all())
    categories = list(ServiceCategory.objects.all())
    notices: list[str] = []

    region = next((r for r in regions if r.code == query.region), None)
    if query.region and region is None:
        notices.append(_("Регион с кодом «%(code)s» не найден: фильтр по региону не применён.")
                       % {"code": query.region})
        query = replace(query, region="")
    category = next((c for c in categories if c.slug == query.category), None)
    if query.category and category is None:
        notices.append(_("Категории «%(slug)s» нет: фильтр по категории не применён.")
                       % {"slug": query.category})
        query = replace(query, category="")
    filters = _Filters(
        service_type=query.service_type, category=category, region=region, online=query.online
    )

    services: QuerySet[Service] = Service.objects.published()
    match: SearchMatch | None = None
    if query.q.strip():
        match = search_match(kind=SEARCH_KIND, query=query.q)
        if match.is_empty:
            services = services.none()
        else:
            services = services.filter(pk__in=match.ids())
        number = _typed_number(query.q)
        if number:
            notices.append(
                _("Услуги с номером %(code)s в каталоге нет. Проверьте номер или найдите "
                  "услугу по названию.") % {"code": number}
            )

    facets, total = _facets(services, filters, regions=regions, categories=categories)

    num_pages = max(1, -(-total // per_page))
    if query.page > num_pages:
        if total:
            notices.append(
                _("Страницы %(page)s нет: показана последняя, %(last)s.")
                % {"page": query.page, "last": num_pages}
            )
        query = replace(query, page=num_pages)

    filtered = services.filter(filters.q())
    hits = _page_hits(filtered, query=query, match=match, per_page=per_page) if total else []
    return CataloguePage(
        query=query,
        hits=hits,
        total=total,
        num_pages=num_pages,
        facets=facets,
        notices=notices,
        corrected_query=match.corrected_query if match else None,
        partial=match.partial if match else False,
        region=region,
        category=category,
    )


def _facets(
    services: QuerySet[Service],
    filters: _Filters,
    *,
    regions: list[Region],
    categories: list[ServiceCategory],
) -> tuple[Facets, int]:
    """Counts per filter value in two queries: a grouped cube, and regions by their M2M."""
    cube_query = services
    dimensions = ["service_type", "category_id", "available_online", "all_regions"]
    if filters.region is not None:
        cube_query = cube_query.annotate(in_region=_in_region(filters.region))
        dimensions.append("in_region")
    cube = list(cube_query.order_by().values(*dimensions).annotate(n=Count("pk")))

    def passes(row: dict, *, without: str = "") -> bool:
        if (
            filters.service_type
            and without != "type"
            and row["service_type"] != filters.service_type
        ):
            return False
        if (
            filters.category is not None
            and without != "category"
            and row["category_id"] != filters.category.pk
        ):
            return False
        if filters.online and without != "online" and not row["available_online"]:
            return False
        if filters.region is not None and without != "region":
            return bool(row["all_regions"] or row["in_region"])
        return True

    def counts(key: str, without: str) -> tuple[dict, int]:
        by_value: dict = {}
        for row in cube:
            if passes(row, without=without):
                by_value[row[key]] = by_value.get(row[key], 0) + row["n"]
        return by_value, sum(by_value.values())

    total = sum(row["n"] for row in cube if passes(row))
    type_counts, types_any = counts("service_type", "type")
    category_counts, categories_any = counts("category_id", "category")
    online_counts, online_any = counts("available_online", "online")
    everywhere_counts, regions_any = counts("all_regions", "region")

    # Services of "all Russia" count in every region; the others by their region list.
    regional = Service.regions.through.objects.filter(
        service__in=services.filter(filters.q(without="region"), all_regions=False)
    )
    region_counts = dict(
        regional.order_by().values("region_id").annotate(n=Count("service_id")).values_list(
            "region_id", "n"
        )
    )
    everywhere = everywhere_counts.get(True, 0)

    facets = Facets(
        types=[
            FacetValue(
                value=value,
                label=str(label),
                count=type_counts.get(value, 0),
                selected=value == filters.service_type,
            )
            for value, label in ServiceType.choices
        ],
        types_any=types_any,
        categories=[
            FacetValue(
                value=item.slug,
                label=item.title,
                count=category_counts.get(item.pk, 0),
                selected=filters.category is not None and item.pk == filters.category.pk,
            )
            for item in categories
        ],
        categories_any=categories_any,
        regions=[
            FacetValue(
                value=item.code,
                label=item.name,
                count=everywhere + region_counts.get(item.pk, 0),
                selected=filters.region is not None and item.pk == filters.region.pk,
            )
            for item in regions
        ],
        regions_any=regions_any,
        online=online_counts.get(True, 0),
        online_any=online_any,
    )
    return facets, total


def _page_hits(
    filtered: QuerySet[Service],
    *,
    query: CatalogueQuery,
    match: SearchMatch | None,
    per_page: int,
) -> list[ServiceHit]:
    offset = (query.page - 1) * per_page
    with_category = filtered.select_related("category")
    if match is not None and not match.is_empty and query.sort == Sort.RELEVANCE:
        ranked = match.ranked(within=filtered, limit=per_page, offset=offset)
        by_id = with_category.in_bulk([hit.object_id for hit in ranked])
        services = [by_id[hit.object_id] for hit in ranked if hit.object_id in by_id]
    else:
        ordering = {
            Sort.RELEVANCE: ["category__order", "category__title", "-popularity", "title", "pk"],
            Sort.POPULAR: ["-popularity", "title", "pk"],
            Sort.TITLE: ["title", "pk"],
        }[Sort(query.sort)]
        services = list(with_category.order_by(*ordering)[offset : offset + per_page])
    wanted = match.plan.highlight_stems() if match is not None else frozenset()
    return [
        ServiceHit(
            service=service,
            title_html=mark_safe(analysis.highlight(service.title, wanted)),  # noqa: S308
            summary_html=mark_safe(  # noqa: S308 — highlight() escapes the text
                analysis.highlight(service.summary, wanted, max_length=SNIPPET_LENGTH)
            ),
        )
        for service in services
    ]


def service_get(*, code: str, preview: bool = False) -> Service | None:
    """The service as citizens see it (editors may preview drafts), with its checklist."""
    if not re.fullmatch(rf"[0-9]{{1,{MAX_CODE_LENGTH}}}", code):
        return None
    services = Service.objects.select_related("category").prefetch_related("documents", "regions")
    if not preview:
        services = services.published()
    return services.filter(code=code).first()


def service_related_links(*, service: Service) -> list[RelatedLink]:
    """Links other packages offer for this service (FAQ articles, …), in registry order."""
    return related_links_for(service=service)


def service_neighbours(*, service: Service, limit: int = 5) -> list[Service]:
    """Popular published services of the same category, for "Другие услуги"."""
    return list(
        Service.objects.published()
        .filter(category_id=service.category_id)
        .exclude(pk=service.pk)
        .order_by("-popularity", "title")[:limit]
    )


def service_documents(*, service: Service) -> list[ServiceDocument]:
    return list(service.documents.all())


def services_for_export(*, services: QuerySet[Service] | None = None) -> QuerySet[Service]:
    services = Service.objects.all() if services is None else services
    return (
        services.select_related("category")
        .prefetch_related("documents", "regions")
        .order_by("code")
    )


def services_csv_lines(*, services: Iterable[Service]) -> Iterator[str]:
    """The CSV an editor downloads: a BOM so Excel reads the Cyrillic, then one row each."""
    return csv_format.write_lines(services)
