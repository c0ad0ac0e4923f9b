"""Reading the service catalogue: search with filters and facet counts, a service page.

The words are matched inside SQL (a subquery on the search index), so the counts
next to every filter value cost the same few queries for ten services or fifty
thousand: one grouped "cube" query and one per-region query.
"""

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from urllib.parse import urlencode

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    TextChoices,
    Value,
    When,
)
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
from portal.content_language import shown_expression
from portal.search import analysis
from portal.search.selectors import (
    SearchMatch,
    SearchResult,
    search_match,
    search_run,
    search_synonyms,
)

SEARCH_KIND = "service"
PER_PAGE = 20
# Deep pages cost an OFFSET scan and help nobody: past this, narrow the search.
MAX_PAGES = 100
# How many of the best services are judged for whether they hold the query's point.
JUDGED = 3
SNIPPET_LENGTH = 240
MAX_CODE_LENGTH = 20
CODE_RE = re.compile(rf"[0-9]{{1,{MAX_CODE_LENGTH}}}")
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
        return self.active_filter_count > 0

    @property
    def active_filter_count(self) -> int:
        """How many filters narrow the list (the order is not one): the folded filters say it."""
        return sum(map(bool, (self.service_type, self.region, self.category, self.online)))


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
    # The words found only share the query's everyday words ("получить", "справка"):
    # the services are listed under a notice, with the other ways to ask.
    low_confidence: bool = False
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
    def no_good_answer(self) -> bool:
        """Words were searched and no service holds their point: say so, as the FAQ does."""
        return bool(self.query.q.strip()) and (self.is_empty or self.low_confidence)

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


# --- The filters: one description, read as ORM, as SQL and over the cube of counts --------

# The columns a filter may test; the cube of counts is grouped by all of them. All are
# columns of Service but `in_region`: "a regional service offered in the region asked
# for", computed per request (false for services of all Russia and without a region).
_DIMENSIONS = ("service_type", "category_id", "available_online", "all_regions", "in_region")
_BOOLEAN_DIMENSIONS = ("available_online", "all_regions", "in_region")


@dataclass(frozen=True)
class _Test:
    """One applied filter: a service passes when any of `columns` holds `value`.

    `facet` names the filter, so that the counts of its own values can leave it out.
    """

    facet: str
    columns: tuple[str, ...]
    value: object

    def q(self) -> Q:
        condition = Q()
        for column in self.columns:
            condition |= Q(**{column: self.value})
        return condition

    def sql(self, alias: str) -> tuple[str, list]:
        parts = [f"{alias}.{column} = %s" for column in self.columns]
        return "(" + " OR ".join(parts) + ")", [self.value] * len(self.columns)


@dataclass(frozen=True)
class _Filters:
    """The filters as resolved from the query; `tests` is their one definition.

    The page without words (ORM), the statement over the matches (SQL) and the
    counts (Python, over the cube) all read the filters from `tests`, so a new
    filter is one more test there (and, for a new column, one more dimension).
    """

    service_type: str
    category: ServiceCategory | None
    region: Region | None
    online: bool

    @cached_property  # read by every path and for every facet: build it once
    def tests(self) -> tuple[_Test, ...]:
        tests: list[_Test] = []
        if self.service_type:
            tests.append(_Test("type", ("service_type",), self.service_type))
        if self.category is not None:
            tests.append(_Test("category", ("category_id",), self.category.pk))
        if self.online:
            tests.append(_Test("online", ("available_online",), True))
        if self.region is not None:
            # Services of all Russia are offered in every region.
            tests.append(_Test("region", ("all_regions", "in_region"), True))
        return tuple(tests)

    def _applied(self, without: str) -> list[_Test]:
        return [test for test in self.tests if test.facet != without]

    @cached_property  # each use clones it; building the expression again costs more
    def services(self) -> QuerySet[Service]:
        """Published services with every dimension as a column (`in_region` added)."""
        if self.region is None:
            in_region = Value(False)
        else:
            # The region list is looked up only for regional services: most are all-Russia.
            in_region = Case(
                When(all_regions=True, then=Value(False)),
                default=Exists(
                    Service.regions.through.objects.filter(
                        service_id=OuterRef("pk"), region_id=self.region.pk
                    )
                ),
                output_field=BooleanField(),
            )
        return Service.objects.published().annotate(in_region=in_region)

    def q(self, *, without: str = "") -> Q:
        """The filters for a queryset from `services`."""
        condition = Q()
        for test in self._applied(without):
            condition &= test.q()
        return condition

    def sql(self, *, alias: str, without: str = "") -> tuple[str, list]:
        """The filters over rows holding the dimensions (`alias.service_type`, …)."""
        parts: list[str] = []
        params: list = []
        for test in self._applied(without):
            part, part_params = test.sql(alias)
            parts.append(part)
            params += part_params
        return (" AND ".join(parts) or "1 = 1"), params

    def predicate(self, *, without: str = "") -> Callable[[dict], bool]:
        """The filters over the rows of the cube of counts (called for every row)."""
        tests = [(test.columns, test.value) for test in self._applied(without)]

        def passes(row: dict) -> bool:
            for columns, value in tests:
                for column in columns:
                    if row[column] == value:
                        break
                else:
                    return False
            return True

        return passes


def service_published_get(*, code: str) -> Service | None:
    """The published service with this number (as citizens see, type and link it), or None."""
    code = (code or "").strip()
    if not CODE_RE.fullmatch(code):
        return None
    return Service.objects.published().filter(code=code).first()


def _typed_number(q: str) -> str | None:
    """The number in a search box that holds only a number ("№ 10 000 123"), else None."""
    found = NUMBER_RE.match(q[:100])
    return re.sub(r"[ \-]", "", found.group(1)) if found else None


def catalogue_number_lookup(*, q: str) -> Service | None:
    """The published service whose number the citizen typed, if the box holds only a number."""
    number = _typed_number(q)
    return service_published_get(code=number) if number else None


def _known(items: list, *, unknown: str, notices: list[str], **wanted: str):
    """The item a filter names (`code="77"`, say), or None; a name no item has is said in
    `notices` with `unknown`, which names it by the same key."""
    ((field, value),) = wanted.items()
    found = next((item for item in items if getattr(item, field) == value), None)
    if value and found is None:
        notices.append(unknown % wanted)
    return found


def catalogue_search(*, query: CatalogueQuery, per_page: int = PER_PAGE) -> CataloguePage:
    """Published services matching the words and filters, with counts for every filter value.

    A constant number of queries whatever the size of the catalogue (tests pin it).
    With words, the counts and the page come from one statement over the matches;
    without, from two grouped queries and the page, all on indexes.
    """
    regions = list(Region.objects.all())
    categories = list(ServiceCategory.objects.all())
    notices: list[str] = []

    region = _known(
        regions,
        code=query.region,
        unknown=_("Регион с кодом «%(code)s» не найден: фильтр по региону не применён."),
        notices=notices,
    )
    category = _known(
        categories,
        slug=query.category,
        unknown=_("Категории «%(slug)s» нет: фильтр по категории не применён."),
        notices=notices,
    )
    # A filter nobody has does not apply.
    query = replace(
        query,
        region=query.region if region else "",
        category=query.category if category else "",
    )
    filters = _Filters(
        service_type=query.service_type, category=category, region=region, online=query.online
    )

    match: SearchMatch | None = None
    judged: SearchResult | None = None
    if query.q.strip():
        match = search_match(kind=SEARCH_KIND, query=query.q, synonyms=search_synonyms())
        # Whether the best services hold the query's point at all (the words alone,
        # whatever the filters), and whether any holds every word.
        judged = search_run(
            kind=SEARCH_KIND,
            query=query.q,
            synonyms=search_synonyms(),
            limit=JUDGED,
            count_cap=JUDGED + 1,
            judge=True,
        )
        number = _typed_number(query.q)
        if number and service_published_get(code=number) is None:
            notices.append(
                _(
                    "Услуги с номером %(code)s в каталоге нет. Проверьте номер или найдите "
                    "услугу по названию."
                )
                % {"code": number}
            )

    offset = (query.page - 1) * per_page
    page_ids: list[int] | None = None
    if match is None:
        cube, region_counts = _counts_without_words(filters)
    elif match.is_empty:  # only punctuation was typed: nothing can match
        cube, region_counts, page_ids = [], {}, []
    else:
        cube, region_counts, page_ids = _search_with_words(
            match, filters, sort=query.sort, limit=per_page, offset=offset
        )
    facets, total = _facets(cube, region_counts, filters, regions=regions, categories=categories)

    num_pages = max(1, min(-(-total // per_page), MAX_PAGES))
    if total > num_pages * per_page:
        notices.append(
            _(
                "Найдено больше %(shown)s услуг: показаны первые %(shown)s. Уточните запрос "
                "или выберите фильтры."
            )
            % {"shown": num_pages * per_page}
        )
    if query.page > num_pages:
        if total:
            notices.append(
                _("Страницы %(page)s нет: показана последняя, %(last)s.")
                % {"page": query.page, "last": num_pages}
            )
            page_ids = None  # the page asked for was empty: fetch the last one
        query = replace(query, page=num_pages)
        offset = (num_pages - 1) * per_page

    hits: list[ServiceHit] = []
    if total:
        if match is None:
            ordering = {
                # Without words the most relevant is the most used (an index, no sort).
                Sort.RELEVANCE: ["-popularity", "shown_title"],
                Sort.POPULAR: ["-popularity", "shown_title"],
                Sort.TITLE: ["shown_title"],
            }[Sort(query.sort)]
            page = list(
                filters.services.select_related("category")
                .alias(shown_title=shown_expression("title"))
                .filter(filters.q())
                .order_by(*ordering, "pk")[offset : offset + per_page]
            )
        else:
            if page_ids is None:
                page_ids = _search_with_words(
                    match, filters, sort=query.sort, limit=per_page, offset=offset, page_only=True
                )[2]
            by_id = Service.objects.select_related("category").in_bulk(page_ids)
            page = [by_id[pk] for pk in page_ids if pk in by_id]
        hits = _hits(page, match)
    return CataloguePage(
        query=query,
        hits=hits,
        total=total,
        num_pages=num_pages,
        facets=facets,
        notices=notices,
        corrected_query=match.corrected_query if match else None,
        partial=judged.partial if judged else False,
        low_confidence=judged.low_confidence if judged else False,
        region=region,
        category=category,
    )


def _counts_without_words(filters: _Filters) -> tuple[list[dict], dict[int, int]]:
    """The cube of published services by every filter dimension, and regional counts."""
    cube = list(filters.services.order_by().values(*_DIMENSIONS).annotate(n=Count("pk")))
    regional = Service.regions.through.objects.filter(
        service__in=filters.services.filter(filters.q(without="region"), all_regions=False)
    )
    region_counts = dict(
        regional.order_by()
        .values("region_id")
        .annotate(n=Count("service_id"))
        .values_list("region_id", "n")
    )
    return cube, region_counts


# The page's order, over the candidates ("{t}" is the table alias) and the columns it needs.
_PAGE_ORDER = {
    Sort.RELEVANCE: ("{t}.score DESC, {t}.id", "score"),
    Sort.POPULAR: (
        "{t}.popularity DESC, {t}.shown_title, {t}.id",
        "popularity, {t}.shown_title",
    ),
    Sort.TITLE: ("{t}.shown_title, {t}.id", "shown_title"),
}


def _search_with_words(
    match: SearchMatch,
    filters: _Filters,
    *,
    sort: str,
    limit: int,
    offset: int,
    page_only: bool = False,
) -> tuple[list[dict], dict[int, int], list[int]]:
    """Counts and one page in ONE statement: the search index is read once per request.

    A materialised CTE holds the matches with their rank and filter columns; the
    cube of counts, the per-region counts and the page's ids are three branches of
    a UNION ALL over it. Both SQLite (3.35+) and PostgreSQL (12+) run it as written.
    """
    through_table = Service.regions.through._meta.db_table
    scored_sql, scored_params = match.scored_sql()
    # The candidates are the published services with their dimensions exactly as the
    # ORM path reads them (one definition of `in_region`), joined to the matches.
    rows_sql, rows_params = (
        filters.services.order_by()
        .values("id", *_DIMENSIONS, "popularity")
        # The title the reader sees orders «по названию»: theirs or the Russian one.
        .annotate(shown_title=shown_expression("title"))
        .query.sql_with_params()
    )
    params: list = [*scored_params, *rows_params]
    sql = (
        f"WITH matched AS MATERIALIZED ({scored_sql}), "
        "candidates AS MATERIALIZED ("
        f"SELECT s.*, m.score FROM matched m JOIN ({rows_sql}) s ON s.id = m.id) "
    )
    dimensions = ", ".join(f"c.{column}" for column in _DIMENSIONS)
    nulls = ", ".join(["NULL"] * len(_DIMENSIONS))
    page_where, page_params = filters.sql(alias="c")
    order, columns = _PAGE_ORDER[Sort(sort)]
    # Numbered after the LIMIT: only the page's rows are numbered, and the UNION
    # does not have to keep their order.
    page_sql = (
        f"SELECT 2 AS part, {nulls}, p.id, "
        f"ROW_NUMBER() OVER (ORDER BY {order.format(t='p')}) FROM ("
        f"SELECT c.id, c.{columns.format(t='c')} FROM candidates c WHERE {page_where} "
        f"ORDER BY {order.format(t='c')} LIMIT %s OFFSET %s) AS p"
    )
    if page_only:
        sql += page_sql
        params += [*page_params, limit, offset]
    else:
        regional_where, regional_params = filters.sql(alias="c", without="region")
        sql += (
            f"SELECT 0 AS part, {dimensions}, NULL AS item, COUNT(*) AS n FROM candidates c "
            f"GROUP BY {dimensions} "
            "UNION ALL "
            f"SELECT 1, {nulls}, r.region_id, COUNT(*) FROM candidates c "
            f"JOIN {through_table} r ON r.service_id = c.id "
            f"WHERE NOT c.all_regions AND {regional_where} GROUP BY r.region_id "
            f"UNION ALL {page_sql}"
        )
        params += [*regional_params, *page_params, limit, offset]

    cube: list[dict] = []
    region_counts: dict[int, int] = {}
    page: list[tuple[int, int]] = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for part, *values, item, n in cursor:
            if part == 0:
                row = dict(zip(_DIMENSIONS, values, strict=True))
                for column in _BOOLEAN_DIMENSIONS:  # SQLite answers 0 and 1
                    row[column] = bool(row[column])
                cube.append({**row, "n": n})
            elif part == 1:
                region_counts[item] = n
            else:
                page.append((n, item))
    return cube, region_counts, [pk for _position, pk in sorted(page)]


def _facets(
    cube: list[dict],
    region_counts: dict[int, int],
    filters: _Filters,
    *,
    regions: list[Region],
    categories: list[ServiceCategory],
) -> tuple[Facets, int]:
    """Counts per filter value from the cube: each facet leaves its own filter out."""

    def counts(key: str, without: str) -> tuple[dict, int]:
        by_value: dict = {}
        passes = filters.predicate(without=without)
        for row in cube:
            if passes(row):
                by_value[row[key]] = by_value.get(row[key], 0) + row["n"]
        return by_value, sum(by_value.values())

    passes = filters.predicate()
    total = sum(row["n"] for row in cube if passes(row))
    type_counts, types_any = counts("service_type", "type")
    category_counts, categories_any = counts("category_id", "category")
    online_counts, online_any = counts("available_online", "online")
    # Services of "all Russia" count in every region; the others by their region list.
    everywhere_counts, regions_any = counts("all_regions", "region")
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


def _hits(services: list[Service], match: SearchMatch | None) -> list[ServiceHit]:
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


def services_matching(*, query: str, limit: int = 500) -> list[int]:
    """Ids of published services matching the words, best first (for editors' search)."""
    return search_run(kind=SEARCH_KIND, query=query, limit=limit, allow_partial=False).object_ids


def service_get(*, code: str, preview: bool = False) -> Service | None:
    """The service page's service (editors may preview drafts) with its checklist, or None."""
    if not CODE_RE.fullmatch(code):
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
        .order_by("-popularity", shown_expression("title"))[:limit]
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
