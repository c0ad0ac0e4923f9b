"""Reading the search index: `search_run` is the one entry point for every package."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings

from portal.search import analysis
from portal.search.backends import Match, get_backend


@dataclass(frozen=True)
class SearchHit:
    object_id: int
    score: float


@dataclass
class SearchResult:
    """Hits for one page plus what the citizen should be told about the query."""

    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    plan: analysis.QueryPlan = field(default_factory=analysis.QueryPlan)
    partial: bool = False  # nothing matched every word; these match some of them
    capped: bool = False  # there are at least `total` matches, maybe more

    @property
    def object_ids(self) -> list[int]:
        return [hit.object_id for hit in self.hits]

    @property
    def corrected_query(self) -> str | None:
        """What was searched instead of what was typed, when typos or layout were fixed."""
        return self.plan.shown_text if self.plan.was_changed else None


def search_plan_build(
    *,
    kind: str,
    query: str,
    synonyms: Iterable[Sequence[analysis.Phrase]] = (),
    prefix_last: bool = False,
) -> analysis.QueryPlan:
    """Turn free text into groups of alternatives the backends can match.

    Per word: the editors' synonyms, the word itself, the word read in the Russian
    layout when it was typed on the Latin one, and (only when the word is unknown to
    the index) vocabulary words one typo away.
    """
    backend = get_backend()
    tokens, layouts = analysis.parse(query)
    if not tokens:
        return analysis.QueryPlan()
    meaningful = [i for i, token in enumerate(tokens) if token not in analysis.STOP_WORDS]
    if meaningful:
        # The last word stays even if it is a stop word while typing ("как во").
        keep = set(meaningful) | ({len(tokens) - 1} if prefix_last else set())
        tokens = [t for i, t in enumerate(tokens) if i in keep]
        layouts = [layout for i, layout in enumerate(layouts) if i in keep]

    synonym_groups = [list(group) for group in synonyms]
    spans = analysis.synonym_spans(tokens, synonym_groups)
    covered = {i for start, end, _ in spans for i in range(start, end)}

    candidates = {analysis.stem(t) for t in tokens} | {
        analysis.stem(layout) for layout in layouts if layout
    }
    known = backend.known_stems(kind=kind, stems=candidates)

    last = len(tokens) - 1
    unknown_words = [
        t
        for i, t in enumerate(tokens)
        if i not in covered
        and analysis.stem(t) not in known
        and not (layouts[i] and analysis.stem(layouts[i]) in known)
        and len(t) >= settings.SEARCH_TYPO_MIN_LENGTH
        and not t.isdigit()
        and not (prefix_last and i == last)
    ]
    neighbours = backend.typo_neighbours(kind=kind, words=unknown_words) if unknown_words else {}

    groups: list[analysis.Group] = []
    span_at = {start: (end, group) for start, end, group in spans}
    i = 0
    while i < len(tokens):
        if i in span_at:
            end, group = span_at[i]
            groups.append(analysis.Group(alternatives=list(group), typed=" ".join(tokens[i:end])))
            i = end
            continue
        token, layout = tokens[i], layouts[i]
        group = analysis.Group(alternatives=[(token,)], typed=token)
        if layout and layout != token:
            layout_known = analysis.stem(layout) in known
            if layout_known and analysis.stem(token) not in known:
                group.replaced_by = layout
            group.alternatives.append((layout,))
            # A layout word can itself be a synonym ("tcbf" → "есиа").
            for phrase_group in synonym_groups:
                if any(
                    len(p) == 1 and analysis.stem(p[0]) == analysis.stem(layout)
                    for p in phrase_group
                ):
                    group.alternatives.extend(
                        p for p in phrase_group if p not in group.alternatives
                    )
        fixes = neighbours.get(token) or []
        if fixes:
            # Prefer the fix that shares the most letters with what was typed.
            group.alternatives.extend((fix,) for fix in fixes)
            group.replaced_by = fixes[0]
        groups.append(group)
        i += 1
    return analysis.QueryPlan(groups=groups, prefix_last=prefix_last)


def search_run(
    *,
    kind: str,
    query: str,
    synonyms: Iterable[Sequence[analysis.Phrase]] = (),
    limit: int = 20,
    offset: int = 0,
    prefix_last: bool = False,
    allow_partial: bool = True,
    count_cap: int | None = None,
    titles_first: bool = False,
) -> SearchResult:
    """Ranked ids of `kind` documents matching `query`: every word first, else any word.

    `count_cap` stops counting there: the result then says "more than count_cap - 1"
    (pages beyond are never shown, and an exact count of thousands of matches costs
    a scan). `titles_first` (suggestions) looks
    in titles only and in the whole text only when no title matches; it skips the count.
    """
    plan = search_plan_build(kind=kind, query=query, synonyms=synonyms, prefix_last=prefix_last)
    if plan.is_empty:
        return SearchResult(plan=plan)
    backend = get_backend()
    if titles_first:
        for title_only in (True, False):
            rows = backend.search(
                kind=kind, plan=plan, match=Match.ALL, limit=limit, offset=0, title_only=title_only
            )
            if rows:
                return SearchResult(
                    hits=[SearchHit(object_id=oid, score=score) for oid, score in rows],
                    total=len(rows),
                    plan=plan,
                )
        return SearchResult(plan=plan)
    for match in (Match.ALL, Match.ANY):
        if match is Match.ANY and (not allow_partial or len(plan.groups) < 2):
            break
        rows = backend.search(kind=kind, plan=plan, match=match, limit=limit, offset=offset)
        if rows and len(rows) < limit:
            total = offset + len(rows)  # the last page: no need to count
        elif rows or offset:
            total = backend.count(kind=kind, plan=plan, match=match, cap=count_cap)
        else:
            total = 0
        if total:
            capped = count_cap is not None and total >= count_cap
            return SearchResult(
                hits=[SearchHit(object_id=oid, score=score) for oid, score in rows],
                total=count_cap - 1 if capped else total,
                plan=plan,
                partial=match is Match.ANY,
                capped=capped,
            )
    return SearchResult(plan=plan)


def search_ids(
    *, kind: str, query: str, synonyms: Iterable[Sequence[analysis.Phrase]] = ()
) -> list[int]:
    """All matching ids in rank order, for callers that filter further in SQL."""
    plan = search_plan_build(kind=kind, query=query, synonyms=synonyms)
    if plan.is_empty:
        return []
    rows = get_backend().search(kind=kind, plan=plan, match=Match.ALL, limit=10**7, offset=0)
    return [oid for oid, _ in rows]


@dataclass(frozen=True)
class SearchMatch:
    """A query to be matched inside the caller's own SQL, for filters and facets.

    Nothing but the plan is held in Python: `scored_sql()` is a SELECT of every
    match with its rank, which the caller joins to its own tables, so filters,
    counts and ranking never pull the matches into memory.
    """

    kind: str
    plan: analysis.QueryPlan
    match: Match = Match.ALL
    partial: bool = False  # nothing matched every word; these match some of them

    @property
    def is_empty(self) -> bool:
        """No words to search for (the query held only punctuation, or nothing)."""
        return self.plan.is_empty

    @property
    def corrected_query(self) -> str | None:
        return self.plan.shown_text if self.plan.was_changed else None

    def scored_sql(self) -> tuple[str, list]:
        """(sql, params) of a SELECT of `id, score` (higher is better) for every match.

        For callers that count, filter and rank in one statement (a CTE over it).
        """
        return get_backend().scored_sql(kind=self.kind, plan=self.plan, match=self.match)


def search_match(
    *,
    kind: str,
    query: str,
    synonyms: Iterable[Sequence[analysis.Phrase]] = (),
    allow_partial: bool = True,
) -> SearchMatch:
    """Plan `query` for matching inside SQL: every word if anything has them all, else any."""
    plan = search_plan_build(kind=kind, query=query, synonyms=synonyms)
    if plan.is_empty:
        return SearchMatch(kind=kind, plan=plan)
    backend = get_backend()
    if (
        allow_partial
        and len(plan.groups) > 1
        and not backend.count(kind=kind, plan=plan, match=Match.ALL)
        and backend.count(kind=kind, plan=plan, match=Match.ANY)
    ):
        return SearchMatch(kind=kind, plan=plan, match=Match.ANY, partial=True)
    return SearchMatch(kind=kind, plan=plan)
