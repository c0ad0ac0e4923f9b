"""Reading the knowledge base: search, suggestions, popular questions, categories."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.safestring import SafeString, mark_safe

from faq.models import Article, Category, Status, SynonymGroup
from portal.catalogue.extensions import RelatedLink
from portal.catalogue.models import Service
from portal.catalogue.selectors import SEARCH_KIND as SERVICE_SEARCH_KIND
from portal.content_language import ORIGINAL_LANGUAGE, shown_in_original
from portal.markup import markdown_to_html, markdown_to_snippet_text
from portal.search import analysis, memo
from portal.search.languages import language_kind
from portal.search.selectors import SearchResult, search_generation, search_leads, search_run

SEARCH_KIND = "faq"

SYNONYMS_CACHE_KEY = "faq:synonyms:v1"
SNIPPET_LENGTH = 220
PER_PAGE = 10
MAX_PAGE = 50  # deep pages are never useful and cost an OFFSET scan


@dataclass(frozen=True)
class ArticleHit:
    article: Article
    title_html: SafeString
    snippet_html: SafeString


@dataclass
class FaqSearchPage:
    """One page of search results and what to tell the citizen about the query."""

    query: str
    hits: list[ArticleHit] = field(default_factory=list)
    total: int = 0
    page_number: int = 1
    num_pages: int = 1
    corrected_query: str | None = None
    partial: bool = False
    capped: bool = False  # "more than `total`": counting stops where pages stop
    low_confidence: bool = False  # only everyday words of the question were found
    layout_only: bool = False  # the correction only read the words in the Russian layout

    @property
    def is_empty(self) -> bool:
        return not self.hits

    @property
    def corrected_page_query(self) -> str:
        """The query string of "Возможно, вы имели в виду …": a search, never a silent swap."""
        return urlencode({"q": self.corrected_query or ""})

    @property
    def no_good_answer(self) -> bool:
        """Nothing, or nothing to the point, was found: say so and offer the channels."""
        return self.is_empty or self.low_confidence


@dataclass(frozen=True)
class Suggestion:
    title_html: SafeString
    url: str
    category: str
    service_code: str | None = None  # a catalogue service, marked as such in the list
    lang: str = ""  # "ru": the title is shown untranslated

    @property
    def is_service(self) -> bool:
        return self.service_code is not None


def faq_synonyms() -> list[list[analysis.Phrase]]:
    """Editors' synonym groups as word tuples; cached until an editor changes them."""

    def load() -> list[list[analysis.Phrase]]:
        groups = []
        for group in SynonymGroup.objects.all():
            phrases = [tuple(analysis.words(term)) for term in group.term_list()]
            phrases = [phrase for phrase in phrases if phrase]
            if len(phrases) > 1:
                groups.append(phrases)
        return groups

    return cache.get_or_set(SYNONYMS_CACHE_KEY, load, timeout=None)


def _published_articles() -> QuerySet[Article]:
    return Article.objects.published().select_related("category")


def _published_by_id(ids: list[int]) -> dict[int, Article]:
    """The published articles among `ids` (search hits), looked up by primary key.

    Not `published().in_bulk(ids)`: without table statistics SQLite then walks the
    status index over every published article rather than the ten keys (~3 ms
    instead of ~0.2 ms at 20,000 articles).
    """
    found = Article.objects.select_related("category").in_bulk(ids)
    return {pk: article for pk, article in found.items() if article.is_public}


@dataclass(frozen=True)
class FaqRanking:
    """One page of the ranking, before any article is read: enough for the search page to
    know whether it says that no good answer was found (and records the question)."""

    query: str
    page: int
    per_page: int
    result: SearchResult

    @property
    def found_something(self) -> bool:
        return bool(self.result.object_ids)

    @property
    def good_answer(self) -> bool:
        """`FaqSearchPage.no_good_answer`, negated, from the ranking alone."""
        return self.found_something and not self.result.low_confidence

    @property
    def num_pages(self) -> int:
        return min(max(1, -(-self.result.total // self.per_page)), MAX_PAGE)


def faq_ranking(*, query: str, page: int = 1, per_page: int = PER_PAGE) -> FaqRanking:
    """The ranking of one page (a page past the last one is the last one)."""
    page = max(1, min(page, MAX_PAGE))
    result = search_run(
        kind=SEARCH_KIND,
        query=query,
        synonyms=faq_synonyms(),
        limit=per_page,
        offset=(page - 1) * per_page,
        count_cap=MAX_PAGE * per_page + 1,
        judge=True,
    )
    ranking = FaqRanking(query=query, page=page, per_page=per_page, result=result)
    if result.total and page > ranking.num_pages:
        return faq_ranking(query=query, page=ranking.num_pages, per_page=per_page)
    return ranking


def faq_results_version() -> str | None:
    """Changes whenever the search page's results may: an article, a category or a
    catalogue service changed (each starts a new generation of its search kind).

    None where results are not remembered (SEARCH_RESULT_MEMO off): render every time.
    """
    if not settings.SEARCH_RESULT_MEMO:
        return None
    articles = search_generation(kind=SEARCH_KIND)
    services = search_generation(kind=SERVICE_SEARCH_KIND)
    return f"{articles}:{services}"


def faq_search(*, query: str, page: int = 1, per_page: int = PER_PAGE) -> FaqSearchPage:
    """Published articles matching `query`, best first, with highlighted snippets."""
    return faq_search_page(faq_ranking(query=query, page=page, per_page=per_page))


def faq_search_page(ranking: FaqRanking) -> FaqSearchPage:
    """The page of a ranking (`faq_ranking`) in words: the articles, highlighted."""
    result = ranking.result
    articles = _published_by_id(result.object_ids)
    fragments = _hit_fragments(articles, wanted=result.plan.highlight_stems())
    hits = [
        ArticleHit(
            article=articles[oid], title_html=fragments[oid][0], snippet_html=fragments[oid][1]
        )
        for oid in result.object_ids
        if oid in articles  # not unpublished since it was indexed
    ]
    return FaqSearchPage(
        query=ranking.query,
        hits=hits,
        total=result.total,
        page_number=ranking.page,
        num_pages=ranking.num_pages,
        corrected_query=result.corrected_query,
        partial=result.partial,
        capped=result.capped,
        low_confidence=result.low_confidence,
        layout_only=result.plan.layout_only,
    )


def _hit_fragments(
    articles: dict[int, Article], *, wanted: frozenset[str]
) -> dict[int, tuple[SafeString, SafeString]]:
    """Each article's highlighted title and snippet, remembered until the index changes.

    An edited article is indexed again, which starts a new generation of the memo.
    """

    def compute() -> dict[int, tuple[SafeString, SafeString]]:
        return {
            pk: (
                mark_safe(analysis.highlight(article.title, wanted)),  # noqa: S308
                mark_safe(_snippet(article, wanted)),  # noqa: S308 — highlight() escapes the text
            )
            for pk, article in articles.items()
        }

    return memo.recall(
        kind=language_kind(SEARCH_KIND),  # the titles and snippets of the reader's language
        key=("faq_hit_fragments", frozenset(articles), wanted),
        compute=compute,
    )


def _snippet(article: Article, wanted: frozenset[str]) -> str:
    """The short answer, unless the words were only found further in the body."""
    short = article.short_answer
    if any(analysis.stem(word) in wanted for word in analysis.words(short)) or not article.body:
        return analysis.highlight(short, wanted, max_length=SNIPPET_LENGTH)
    body = markdown_to_snippet_text(article.body)
    if any(analysis.stem(word) in wanted for word in analysis.words(body)):
        return analysis.highlight(body, wanted, max_length=SNIPPET_LENGTH)
    return analysis.highlight(short, wanted, max_length=SNIPPET_LENGTH)


SUGGESTED_SERVICES = 3


def faq_suggest(*, query: str, limit: int = 8) -> list[Suggestion]:
    """Titles for the search box's list while the citizen is still typing: articles, and
    the catalogue's services that hold the query's point (first when they hold more of
    it than any article: the query names a service)."""
    if len(query.strip()) < 2:
        return []
    result = search_run(
        kind=SEARCH_KIND,
        query=query,
        synonyms=faq_synonyms(),
        limit=limit,
        prefix_last=True,
        titles_first=True,
        # Only the titles are shown, never how many: counting every match is wasted.
        count_cap=limit + 1,
        judge=True,  # whether the articles or the services lead (`search_leads`)
    )
    services_result = search_run(
        kind=SERVICE_SEARCH_KIND,
        query=query,
        synonyms=faq_synonyms(),
        limit=SUGGESTED_SERVICES,
        prefix_last=True,
        count_cap=SUGGESTED_SERVICES + 1,
        judge=True,  # services only for the query's point, never for its everyday words
    )
    services: list[Suggestion] = []
    # Beside articles, only services that hold the query's point; with no article to
    # show, any that holds some of it is better than an empty list.
    if services_result.related or (not result.object_ids and services_result.confidence > 0):
        by_id = (
            Service.objects.published()
            .select_related("category")
            .in_bulk(services_result.object_ids)
        )
        wanted = services_result.plan.highlight_stems()
        services = [
            Suggestion(
                title_html=mark_safe(analysis.highlight(by_id[oid].title, wanted)),  # noqa: S308
                url=by_id[oid].get_absolute_url(),
                category=by_id[oid].category.title,
                service_code=by_id[oid].code,
                lang=ORIGINAL_LANGUAGE if shown_in_original(by_id[oid], "title") else "",
            )
            for oid in services_result.object_ids
            if oid in by_id
        ]
    articles = _published_by_id(result.object_ids)
    wanted = result.plan.highlight_stems()
    found = [
        Suggestion(
            title_html=mark_safe(analysis.highlight(articles[oid].title, wanted)),  # noqa: S308
            url=articles[oid].get_absolute_url(),
            category=articles[oid].category.title,
            lang=ORIGINAL_LANGUAGE if shown_in_original(articles[oid], "title") else "",
        )
        for oid in result.object_ids
        if oid in articles
    ][: limit - len(services)]
    if search_leads(this=services_result, other=result):
        return services + found
    return found + services


def faq_popular(*, limit: int = 8) -> list[Article]:
    """Most read and most helpful first (`Article.popularity`), by its index."""
    return list(_published_articles().order_by("-popularity", "order", "pk")[:limit])


def faq_categories() -> list[Category]:
    """Visible categories with how many published articles each holds."""
    return list(
        Category.objects.filter(is_visible=True)
        .annotate(article_count=Count("articles", filter=Q(articles__status=Status.PUBLISHED)))
        .filter(article_count__gt=0)
    )


def faq_category_get(*, slug: str) -> Category | None:
    """A visible category with at least one published article, or None."""
    published = Article.objects.published().filter(category=OuterRef("pk"))
    return Category.objects.filter(Exists(published), slug=slug, is_visible=True).first()


def faq_category_articles(*, category: Category) -> list[Article]:
    return list(category.articles.filter(status=Status.PUBLISHED).order_by("order", "title"))


def faq_article_get(
    *, category_slug: str, article_slug: str, preview: bool = False
) -> Article | None:
    """The article as citizens see it (editors may preview drafts), or None."""
    articles = Article.objects.select_related("category").prefetch_related(
        Prefetch("related", queryset=Article.objects.published().select_related("category"))
    )
    if not preview:
        articles = articles.published()
    return articles.filter(category__slug=category_slug, slug=article_slug).first()


def faq_article_body_html(*, article: Article) -> SafeString:
    return mark_safe(markdown_to_html(article.body))  # noqa: S308 — sanitised by nh3


def faq_links_for_service(service: Service, *, limit: int = 5) -> list[RelatedLink]:
    """Articles editors linked to the service, then those the search finds for its title."""
    articles = list(
        _published_articles().filter(services=service).order_by("category__order", "order")[:limit]
    )
    if len(articles) < limit:
        result = search_run(
            kind=SEARCH_KIND,
            query=service.title,
            synonyms=faq_synonyms(),
            limit=limit,
            count_cap=limit + 1,  # a few links, never a count
            judge=True,
        )
        if not result.low_confidence:
            have = {a.pk for a in articles}
            by_id = _published_by_id(result.object_ids)
            articles += [
                by_id[oid] for oid in result.object_ids if oid in by_id and oid not in have
            ]
    return [
        RelatedLink(
            title=a.title,
            url=a.get_absolute_url(),
            lang=ORIGINAL_LANGUAGE if shown_in_original(a, "title") else "",
        )
        for a in articles[:limit]
    ]


@dataclass(frozen=True)
class ServicesForQuery:
    """Catalogue services that answer the same question as the articles searched."""

    services: list[Service]
    lead: bool = False  # the query names a service: shown before the articles

    def __bool__(self) -> bool:
        return bool(self.services)

    def __iter__(self):
        return iter(self.services)


def faq_services_for_query(
    *, query: str, ranking: FaqRanking | None = None, limit: int = 3
) -> ServicesForQuery:
    """Catalogue services that answer the same question, shown beside the articles, and
    before them when they hold more of the query than the best article (`ranking`)."""
    result = search_run(
        kind=SERVICE_SEARCH_KIND,
        query=query,
        synonyms=faq_synonyms(),
        limit=limit,
        count_cap=limit + 1,  # a few services, never a count
        judge=True,
    )
    if not result.related:
        return ServicesForQuery(services=[])
    by_id = Service.objects.published().in_bulk(result.object_ids)
    return ServicesForQuery(
        services=[by_id[oid] for oid in result.object_ids if oid in by_id],
        lead=ranking is not None and search_leads(this=result, other=ranking.result),
    )
