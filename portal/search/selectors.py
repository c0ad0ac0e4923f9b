"""Reading the search index: `search_run` is the one entry point for every package."""

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings

from portal.search import analysis, memo, sentences
from portal.search.backends import (
    KEEP_RATIO,
    Backend,
    Match,
    RankedRow,
    complete_score,
    get_backend,
)
from portal.search.languages import index_language, language_kind
from portal.search.meaning import meaning_neighbours

PREFIX_MIN_LENGTH = 3
# The best documents must hold this share of the query's distinctive weight to answer
# it (else the page says no exact answer was found), and this smaller share to be
# offered beside another kind's results (services in the suggestions, beside articles).
CONFIDENT_SHARE = 0.5
RELATED_SHARE = 0.34
# A word one document in this many holds is an everyday word, not the query's point.
COMMON_SHARE = 4
# Candidates by the meaning of the whole question (sentences.py): up to this many of the
# documents nearest to it, with at least this cosine, join the words' candidates. Each
# document's cosine above the query's baseline (the mean over every document) adds this
# much to its share of the query's words (1 for a document holding them all).
SENTENCE_CANDIDATES = 10
SENTENCE_MINIMUM = 0.15
SENTENCE_WEIGHT = 4.0
# From this cosine a document close in meaning answers the question its words hold only
# part of: above what the tuning lists' questions without an answer reach (0.46).
SENTENCE_VOUCHES = 0.5
# From this cosine meaning alone offers a document beside another kind's (a service in
# the suggestions for «загранник», whose words no service holds), never as the answer.
SENTENCE_RELATED = 0.4
# Between two kinds neither of whose words answer, the nearer in meaning leads by this
# much: a smaller difference is noise (a transliterated question's two cosines of 0.25
# and 0.23).
SENTENCE_LEADS_MARGIN = 0.05

SynonymsProvider = Callable[[], Iterable[Sequence[analysis.Phrase]]]
_synonym_providers: list[SynonymsProvider] = []


def search_synonyms_register(provider: SynonymsProvider) -> SynonymsProvider:
    """Editors' synonyms for every kind (faq keeps them; portal cannot import faq)."""
    if provider not in _synonym_providers:
        _synonym_providers.append(provider)
    return provider


def search_synonyms() -> list[Sequence[analysis.Phrase]]:
    return [group for provider in _synonym_providers for group in provider()]


@dataclass(frozen=True)
class SearchHit:
    object_id: int
    score: float
    matched: float = 0.0  # how much of the query it holds (groups, a title a little more)


@dataclass
class SearchResult:
    """Hits for one page plus what the citizen should be told about the query."""

    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    plan: analysis.QueryPlan = field(default_factory=analysis.QueryPlan)
    partial: bool = False  # nothing matched every word; these match some of them
    capped: bool = False  # there are at least `total` matches, maybe more
    low_confidence: bool = False  # found only everyday words of the query, not its point
    # The share of the query's distinctive weight the best documents hold (judged only).
    confidence: float = 1.0
    # The best cosine in meaning among the hits (0 when meaning was not read).
    closeness: float = 0.0
    # Offered beside another kind's for its meaning alone: its words hold too little of
    # the point to compare their coverage with the other kind's.
    related_by_meaning: bool = False

    @property
    def related(self) -> bool:
        """Enough of the query's point is held to offer these beside another kind's."""
        return bool(self.hits) and self.confidence >= RELATED_SHARE

    @property
    def object_ids(self) -> list[int]:
        return [hit.object_id for hit in self.hits]

    @property
    def corrected_query(self) -> str | None:
        """What was searched instead of what was typed, when typos or layout were fixed."""
        return self.plan.shown_text if self.plan.was_changed else None

    @property
    def coverage(self) -> float:
        """How much of the query the best document holds, per word group (0 when it
        answers nothing to the point): comparable between kinds for the same query."""
        if not self.related or self.related_by_meaning or not self.plan.groups:
            return 0.0
        return self.hits[0].matched / len(self.plan.groups)


def search_leads(*, this: SearchResult, other: SearchResult) -> bool:
    """Whether `this` kind answers the query better than `other` (services against
    articles, both judged). The one whose words answer it leads; when both do, the one
    whose best document holds more of the query (a title counting a little more); when
    neither does, the one clearly nearer in meaning («купил авто как зарегистрировать»,
    «загранник»), offered beside the other's for its meaning if not for its words."""
    this_answers = bool(this.hits) and not this.low_confidence
    if this_answers != (bool(other.hits) and not other.low_confidence):
        return this_answers
    if this_answers:
        return this.coverage > other.coverage
    return this.related and this.closeness > other.closeness + SENTENCE_LEADS_MARGIN


def _is_word_known(token: str, *, known_stems: set[str]) -> bool:
    """A word is left alone if the content knows it or it is a real Russian word.

    Only a word that is neither is a candidate for a spelling fix: "записаться"
    is a word even where no article uses it, and must be searched as typed.
    """
    return (
        analysis.stem(token) in known_stems
        or token in known_stems
        or analysis.is_russian_word(token)
        or token.isdigit()
    )


# A last word this long that the dictionary knows is taken as typed to its end.
COMPLETE_WORD_LENGTH = 4


def _complete_word(token: str) -> bool:
    """The word being typed is already a whole Russian word ("оформить", not "оформ")."""
    return (
        len(token) >= COMPLETE_WORD_LENGTH
        and token not in analysis.STOP_WORDS
        and analysis.is_russian_word(token)
    )


def _latin_stop_word(token: str) -> bool:
    """A Russian stop word written in Latin letters ("ne", "kak", "dlya")."""
    readings = analysis.transliterations(token)
    return bool(readings) and len(token) <= 4 and readings[0] in analysis.RUSSIAN_STOP_WORDS


def _synonyms_of(word: str, synonym_groups: list[list[analysis.Phrase]]) -> list[analysis.Phrase]:
    """Every phrase of the editors' groups that hold `word` alone (compared by stems)."""
    root = analysis.stem(word)
    found: list[analysis.Phrase] = []
    for phrase_group in synonym_groups:
        if any(len(p) == 1 and analysis.stem(p[0]) == root for p in phrase_group):
            found.extend(p for p in phrase_group if p not in found)
    return found


def search_plan_build(
    *,
    kind: str,
    query: str,
    synonyms: Iterable[Sequence[analysis.Phrase]] = (),
    prefix_last: bool = False,
) -> analysis.QueryPlan:
    """Turn free text into groups of alternatives the backends can match.

    Per word: the editors' synonyms, the word itself, and when the word is neither in
    the content nor in the Russian dictionary, what it was written for: read in the
    Russian layout or as Russian in Latin letters (the first reading the index or the
    dictionary knows), or else vocabulary words one typo away, or else the index's
    words it runs together ("очиститькеш"); and words it begins (an unfinished word,
    ranked below whole words).
    """
    kind = language_kind(kind)
    backend = get_backend()
    tokens, layouts = analysis.parse(query)
    if not tokens:
        return analysis.QueryPlan()
    typed_words = list(tokens)
    # On the Russian site a word in Latin letters may be Russian typed on the wrong layout
    # or transliterated; on another language's site it is a word of that language:
    # reading "code" as «коде» or "line" as «лине» would only lose it.
    latin_may_be_russian = index_language(kind) == settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    meaningful = [
        i
        for i, token in enumerate(tokens)
        if token not in analysis.STOP_WORDS
        and not (latin_may_be_russian and _latin_stop_word(token))
    ]
    if meaningful:
        # The last word stays even if it is a stop word while typing ("как во").
        keep = set(meaningful) | ({len(tokens) - 1} if prefix_last else set())
        tokens = [t for i, t in enumerate(tokens) if i in keep]
        layouts = [layout for i, layout in enumerate(layouts) if i in keep]
    # What a word typed in Latin letters may stand for: the Russian layout's word first,
    # then transliterations.
    if not latin_may_be_russian:
        layouts = [None] * len(tokens)
    readings = [
        [r for r in [layout, *analysis.transliterations(token)] if r and r != token]
        if latin_may_be_russian
        else []
        for token, layout in zip(tokens, layouts, strict=True)
    ]

    synonym_groups = [list(group) for group in synonyms]
    synonym_words = {p[0] for group in synonym_groups for p in group if len(p) == 1}
    spans = analysis.synonym_spans(tokens, synonym_groups)
    covered = {i for start, end, _ in spans for i in range(start, end)}

    # Words no dictionary knows may be words run together: their pieces are looked up
    # in the same statement. The word still being typed too: only whole words split it.
    last = len(tokens) - 1
    splittable = [
        t
        for t in tokens
        if len(t) >= analysis.SPLIT_MIN_LENGTH
        and analysis.CYRILLIC_RE.search(t)
        and not analysis.is_russian_word(t)
        and not analysis.is_prefixed_word(t)
    ]
    pieces = {piece for t in splittable for piece in analysis.split_pieces(t)}
    candidates = (
        {analysis.stem(t) for t in tokens}
        | {analysis.stem(r) for options in readings for r in options}
        | {t for t in tokens if analysis.overstemmed(t)}
        | pieces
        | {analysis.stem(piece) for piece in pieces}
    )
    known = backend.known_stems(kind=kind, stems=candidates)
    if prefix_last and _complete_word(tokens[-1]):
        word = tokens[-1]
        # "пенсию оформить", "садик": the last word is whole, so the suggestions rank the
        # query as its search page will (its continuations still match, weakly). Unless
        # the index holds not the word but longer ones it begins: "регистр" is a word,
        # but here most likely the start of «регистрация».
        if analysis.stem(word) in known or not backend.begins_words(kind=kind, word=word):
            prefix_last = False

    def reading_of(i: int) -> str | None:
        return next(
            (r for r in readings[i] if _is_word_known(r, known_stems=known)),
            None,
        )

    read = {i: reading_of(i) for i in range(len(tokens))}
    unknown = {
        i
        for i, t in enumerate(tokens)
        if i not in covered and not _is_word_known(t, known_stems=known) and not read[i]
    }
    typo_words = [tokens[i] for i in unknown if len(tokens[i]) >= settings.SEARCH_TYPO_MIN_LENGTH]
    neighbours = backend.typo_neighbours(kind=kind, words=typo_words) if typo_words else {}
    splits = {
        word: split
        for word in splittable
        if tokens.index(word) in unknown
        and not neighbours.get(word)
        and (
            split := analysis.split_words(
                word,
                known=lambda piece: (
                    analysis.stem(piece) in known or piece in known or piece in synonym_words
                ),
            )
        )
    }

    # Dictionary words the index does not hold: candidates by meaning beside the words.
    unheld = [
        i
        for i, t in enumerate(tokens)
        if i not in covered
        and i not in unknown
        and not read[i]
        # The vocabulary keeps no numbers: one is searched as typed, never by meaning.
        and not t.isdigit()
        and analysis.stem(t) not in known
        and t not in known
        and not (prefix_last and i == last)
    ]
    meanings = meaning_neighbours(kind=kind, words=[tokens[i] for i in unheld])

    groups: list[analysis.Group] = []
    replacements: dict[str, str] = {}
    span_at = {start: (end, group) for start, end, group in spans}
    i = 0
    while i < len(tokens):
        if i in span_at:
            end, group = span_at[i]
            groups.append(analysis.Group(alternatives=list(group), typed=" ".join(tokens[i:end])))
            i = end
            continue
        token, reading = tokens[i], read[i]
        if splits.get(token):
            # Words run together: one group per word, as if typed with spaces.
            pieces = splits[token]
            for piece in pieces:
                if piece in analysis.STOP_WORDS:
                    continue
                group = analysis.Group(
                    alternatives=[(piece,)], typed=piece, replaced_by=piece, from_layout=True
                )
                group.alternatives.extend(
                    p for p in _synonyms_of(piece, synonym_groups) if p not in group.alternatives
                )
                groups.append(group)
            replacements[token] = " ".join(pieces)
            i += 1
            continue
        group = analysis.Group(alternatives=[(token,)], typed=token)
        if layouts[i] and layouts[i] != token and layouts[i] != reading:
            group.alternatives.append((layouts[i],))
        if reading:
            if not _is_word_known(token, known_stems=known):
                group.replaced_by = reading
                group.from_layout = True
            group.alternatives.append((reading,))
            # A layout word can itself be a synonym ("tcbf" → "есиа").
            group.alternatives.extend(
                p for p in _synonyms_of(reading, synonym_groups) if p not in group.alternatives
            )
        if i in unknown:
            fixes = neighbours.get(token) or []
            if fixes:
                group.alternatives.extend((fix,) for fix in fixes)
                group.replaced_by = fixes[0]
                # A fixed word may be a synonym too ("пороль" → "пароль" = "код доступа").
                group.alternatives.extend(
                    p for p in _synonyms_of(fixes[0], synonym_groups) if p not in group.alternatives
                )
        if i in unheld:
            group.by_meaning = True
            # Weak: a document holding the typed word itself would rank above.
            root = analysis.root_prefix(token)
            if root:
                group.prefixes.append(root)
            group.weak.extend((word,) for word in meanings.get(token, []))
        if not token.isdigit() and (
            (prefix_last and i == last)  # still being typed
            # An unfinished word ("загран"): any indexed word it begins, ranked below
            # the whole word. The last word is where people stop typing.
            or (len(token) >= PREFIX_MIN_LENGTH and (i in unknown or i == last))
        ):
            group.prefixes.append(token)
        if group.replaced_by:
            replacements[token] = group.replaced_by
        groups.append(group)
        i += 1
    return analysis.QueryPlan(
        groups=groups,
        prefix_last=prefix_last,
        typed_words=typed_words,
        replacements=replacements,
    )


_DOCUMENTS = ("documents",)


def _group_frequencies(
    *, kind: str, plan: analysis.QueryPlan, backend: Backend
) -> tuple[int, list[int]]:
    """The number of documents and how many hold each group (remembered per group).

    A group counts its strong and weak matches together, so whether its prefix is
    strong (the last word while typing) does not change its number.
    """
    keys = [
        ("groups", tuple(group.alternatives), tuple(group.weak), tuple(group.prefixes))
        for group in plan.groups
    ]

    def count(missing: list) -> dict:
        groups = [plan.groups[keys.index(key)] for key in missing if key != _DOCUMENTS]
        documents, frequencies = backend.group_frequencies(
            kind=kind,
            plan=analysis.QueryPlan(groups=groups, prefix_last=plan.prefix_last),
            common_share=COMMON_SHARE,
        )
        return {_DOCUMENTS: documents} | dict(
            zip([key for key in missing if key != _DOCUMENTS], frequencies, strict=True)
        )

    answers = memo.recall_many(kind=kind, keys=[_DOCUMENTS, *keys], compute=count)
    return answers[_DOCUMENTS], [answers[key] for key in keys]


def _site_stems() -> frozenset[str]:
    return frozenset(
        analysis.stem(w) for word in settings.SEARCH_SITE_WORDS for w in analysis.words(word)
    )


def _mark_everyday(*, kind: str, plan: analysis.QueryPlan, backend: Backend) -> None:
    """Mark the everyday words beside the query's point (`Group.everyday`).

    A word held by a quarter of the documents or more, or naming the site itself,
    weighs next to nothing when another word of the query is held by fewer documents
    (but by some): then that word decides. A query of everyday words only is ranked
    by all of them, as before.
    """
    if len(plan.groups) < 2:
        return
    _documents, frequencies = _group_frequencies(kind=kind, plan=plan, backend=backend)
    site = _site_stems()
    everyday = [
        all(len(phrase) == 1 and analysis.stem(phrase[0]) in site for phrase in group.alternatives)
        for group, frequency in zip(plan.groups, frequencies, strict=True)
    ]
    pointed = [
        position
        for position, frequency in enumerate(frequencies)
        if not everyday[position] and frequency and not plan.groups[position].by_meaning
    ]
    if not pointed:
        return
    for group, is_everyday in zip(plan.groups, everyday, strict=True):
        group.everyday = is_everyday


def _confidence(
    *, kind: str, plan: analysis.QueryPlan, rows: list[RankedRow], backend: Backend
) -> float:
    """The share of the query's distinctive weight the best documents hold.

    A word is distinctive when fewer than a quarter of the documents hold it (a word
    no document holds is the most distinctive). Below CONFIDENT_SHARE of the weight
    (log inverse document frequency) in the best three documents, what was found only
    shares the everyday words ("получить", "как") with the question, not its point.
    """
    documents, frequencies = _group_frequencies(kind=kind, plan=plan, backend=backend)
    if not documents:
        return 0.0
    common = documents // COMMON_SHARE + 1
    # A word the index does not hold matches only by meaning or root: as for a word no
    # document holds, no document vouches for it.
    by_meaning = {position for position, group in enumerate(plan.groups) if group.by_meaning}
    frequencies = [0 if g in by_meaning else f for g, f in enumerate(frequencies)]
    # The site's own name is an everyday word whatever its count.
    frequencies = [common if plan.groups[g].everyday else f for g, f in enumerate(frequencies)]
    # A number no document holds ("в 45 лет") is a detail of the citizen's case, not a
    # word the content says otherwise: it neither vouches for nor against an answer.
    frequencies = [
        common if plan.groups[g].typed.isdigit() and not f else f for g, f in enumerate(frequencies)
    ]
    # A word no document holds weighs as one held by a single document: it is often a
    # colloquial word for something the content says otherwise ("вылетает").
    weights = {
        position: math.log((documents + 1) / (max(frequency, 1) + 1))
        for position, frequency in enumerate(frequencies)
        if frequency < common
    }
    if not weights:
        return 1.0  # everyday words only: whatever matches them is the answer
    best = max(
        (
            sum(w for g, w in weights.items() if row.mask & (1 << g) and g not in by_meaning)
            for row in rows[:3]
        ),
        default=0.0,
    )
    total = sum(weights.values())
    # With one or two documents every word weighs nothing: nothing to judge by.
    return best / total if total > 0 else 1.0


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
    judge: bool = False,
) -> SearchResult:
    """Ranked ids of `kind` documents matching `query`, by how many of its words they hold.

    Each word (a synonym group counts once, by its best alternative) adds one, a match
    in the title a little more, a prefix or a stub stem half; documents with less than
    half the best document's score are left out; ties go by bm25 / ts_rank.
    `count_cap` stops counting there: the result then says "more than count_cap - 1".
    `allow_partial=False` keeps only documents holding every word. `judge` also says
    whether the best documents answer the query at all (`low_confidence`, `confidence`).
    `titles_first` is accepted for callers of the old engine: titles always weigh more.
    A query asked before, with the same options, since the kind's index was last
    written is answered from memory (`memo.recall`).
    """
    kind = language_kind(kind)
    synonyms = tuple(tuple(group) for group in synonyms)
    options = (limit, offset, prefix_last, allow_partial, count_cap, judge)
    return memo.recall(
        kind=kind,
        key=("search_run", query, synonyms, options),
        compute=lambda: _search_run_compute(
            kind=kind,
            query=query,
            synonyms=synonyms,
            limit=limit,
            offset=offset,
            prefix_last=prefix_last,
            allow_partial=allow_partial,
            count_cap=count_cap,
            judge=judge,
        ),
    )


def _search_run_compute(
    *,
    kind: str,
    query: str,
    synonyms: Sequence[Sequence[analysis.Phrase]],
    limit: int,
    offset: int,
    prefix_last: bool,
    allow_partial: bool,
    count_cap: int | None,
    judge: bool,
) -> SearchResult:
    plan = search_plan_build(kind=kind, query=query, synonyms=synonyms, prefix_last=prefix_last)
    if plan.is_empty:
        return SearchResult(plan=plan)
    backend = get_backend()
    _mark_everyday(kind=kind, plan=plan, backend=backend)
    rows, total = backend.ranked(
        kind=kind, plan=plan, limit=limit, offset=offset, cap=count_cap if allow_partial else None
    )
    everything = (1 << len(plan.groups)) - 1
    if not allow_partial:
        rows = [row for row in rows if row.mask == everything]
        total = len(rows)
    # Meaning joins the first page, also while the last word is being typed (the
    # suggestions): a question is often whole before the citizen stops typing, and its
    # last word may be one no indexed word begins ("загранник"), which only meaning reads.
    close = (
        sentences.closeness(kind=kind, query=plan.shown_text if plan.was_changed else query)
        if allow_partial and not offset and _has_point(plan)
        else None
    )
    if not total and close is None:
        return SearchResult(plan=plan)
    capped = count_cap is not None and total >= count_cap
    confidence = 1.0
    if judge:
        confidence = _confidence(kind=kind, plan=plan, rows=rows, backend=backend) if total else 0.0
    word_rows = rows
    nearest = 0.0
    related_by_meaning = False
    if close is not None:
        rows, added = _with_meaning(rows, close=close, plan=plan, limit=limit)
        if not rows:
            return SearchResult(plan=plan)
        total += added
        nearest = max(close.cosine(row.object_id) for row in rows[:3])
        if judge:
            words_only = confidence
            confidence = _judged_with_meaning(confidence, plan=plan, nearest=nearest)
            related_by_meaning = words_only < RELATED_SHARE <= confidence
    return SearchResult(
        hits=[
            SearchHit(object_id=row.object_id, score=row.score, matched=row.matched) for row in rows
        ],
        total=count_cap - 1 if capped else total,
        plan=plan,
        partial=bool(word_rows) and word_rows[0].mask != everything and len(plan.groups) > 1,
        capped=capped,
        low_confidence=confidence < CONFIDENT_SHARE,
        confidence=confidence,
        closeness=nearest,
        related_by_meaning=related_by_meaning,
    )


def _judged_with_meaning(confidence: float, *, plan: analysis.QueryPlan, nearest: float) -> float:
    """The words' judgement (`_confidence`) with what meaning says of the best documents
    (`nearest`: the best cosine among the first three).

    Meaning settles a doubt the words leave, never an answer the words do not support
    at all: a question without an answer often has a close neighbour («заказать такси»
    and the taxi licence). A document close enough is offered beside another kind's even
    when no word of the point matched. And a thing no document names (a noun only meaning
    could match: «психолог» beside «записаться на приём») is answered only when meaning
    vouches for it too: the other words alone are the frame of the question. A verb or an
    adjective no document holds is most often the citizen's way of saying what the
    content says otherwise («передумал», «не грузятся»), and is left to the words' share.
    """
    if nearest >= SENTENCE_VOUCHES and RELATED_SHARE <= confidence < CONFIDENT_SHARE:
        return CONFIDENT_SHARE
    if nearest >= SENTENCE_RELATED and confidence < RELATED_SHARE:
        return RELATED_SHARE
    if nearest < SENTENCE_VOUCHES and confidence >= CONFIDENT_SHARE and _unheld_point(plan):
        return RELATED_SHARE
    return confidence


def _unheld_point(plan: analysis.QueryPlan) -> bool:
    """A noun of the query's point that no document holds (matched by meaning only)."""
    return any(
        group.by_meaning and not group.everyday and analysis.is_noun(group.typed)
        for group in plan.groups
    )


def _has_point(plan: analysis.QueryPlan) -> bool:
    """Whether the query holds a word to read for its meaning: not only stop words
    ("как") or numbers ("45"), which say nothing a sentence vector could match."""
    return any(not word.isdigit() and word not in analysis.STOP_WORDS for word in plan.typed_words)


def _with_meaning(
    rows: list[RankedRow], *, close: sentences.Closeness, plan: analysis.QueryPlan, limit: int
) -> tuple[list[RankedRow], int]:
    """The page re-ranked with meaning, and how many candidates by meaning alone joined.

    A document scores its share of the query's words plus its closeness in meaning;
    one holding every word in its title stays before any other (an exact title match
    is what the citizen asked for).
    """
    groups = max(len(plan.groups), 1)
    present = {row.object_id for row in rows}
    joined = [
        RankedRow(object_id, 0.0, 0, 0.0)
        for object_id, _ in close.nearest(SENTENCE_CANDIDATES, minimum=SENTENCE_MINIMUM)
        if object_id not in present
    ]
    whole_title = complete_score(len(plan.groups), len(plan.groups))
    everything = (1 << len(plan.groups)) - 1

    def key(row: RankedRow) -> tuple[bool, float]:
        in_title = row.mask == everything and row.matched >= whole_title
        return in_title, row.score / groups + SENTENCE_WEIGHT * close.of(row.object_id)

    # As for words: a document under half the best one's score is left out.
    best = max((key(row)[1] for row in [*rows, *joined]), default=0.0)
    joined = [row for row in joined if key(row)[1] > best * KEEP_RATIO]
    ranked = sorted([*rows, *joined], key=key, reverse=True)[:limit]
    page = [RankedRow(row.object_id, key(row)[1], row.mask, row.matched) for row in ranked]
    return page, len(joined)


def search_generation(*, kind: str) -> str:
    """Changes with every write to `kind`'s index in the reader's language (and
    `search_results_forget`)."""
    return memo.generation(kind=language_kind(kind))


def search_ids(
    *, kind: str, query: str, synonyms: Iterable[Sequence[analysis.Phrase]] = ()
) -> list[int]:
    """Matching ids in rank order (up to a thousand), for callers that filter further in SQL."""
    return search_run(kind=kind, query=query, synonyms=synonyms, limit=1000).object_ids


@dataclass(frozen=True)
class SearchMatch:
    """A query to be matched inside the caller's own SQL, for filters and facets.

    Nothing but the plan is held in Python: `scored_sql()` is a SELECT of every
    match with its rank, which the caller joins to its own tables, so filters,
    counts and ranking never pull the matches into memory.
    """

    kind: str
    plan: analysis.QueryPlan
    match: Match = Match.ANY
    partial: bool = False
    # Documents near the question in meaning: (object id, what closeness adds to the
    # score, in the words' units), as `search_run` ranks them.
    nearest: tuple[tuple[int, float], ...] = ()

    @property
    def is_empty(self) -> bool:
        """No words to search for (the query held only punctuation, or nothing)."""
        return self.plan.is_empty

    @property
    def corrected_query(self) -> str | None:
        return self.plan.shown_text if self.plan.was_changed else None

    def scored_sql(self) -> tuple[str, list]:
        """(sql, params) of a SELECT of `id, score` (higher is better) for every match.

        The score is the number of query words matched plus closeness in meaning (see
        `search_run`), so a caller ordering by it ranks as the FAQ does; weak matches are
        already left out, and documents found by meaning alone under half the best score.
        A document holding every word in its title stays first.
        """
        sql, params = get_backend().scored_sql(kind=self.kind, plan=self.plan)
        if not self.nearest:
            return sql, params
        groups = len(self.plan.groups)
        near = " UNION ALL ".join(
            ["SELECT CAST(%s AS BIGINT), CAST(%s AS DOUBLE PRECISION), 0, 0"] * len(self.nearest)
        )
        return (
            "SELECT id, score FROM (SELECT id, score, w, MAX(score) OVER () AS best FROM ("
            "SELECT id, SUM(score) + 1000 * MAX(t) AS score, MAX(w) AS w FROM ("
            "SELECT id, score, 1 AS w, CASE WHEN score >= %s THEN 1 ELSE 0 END AS t "
            f"FROM ({sql}) AS words UNION ALL {near}) AS both_ GROUP BY id) AS g) AS s "
            f"WHERE w = 1 OR score > best * {KEEP_RATIO}",
            [
                complete_score(groups, groups) - 0.001,
                *params,
                *(value for pair in self.nearest for value in pair),
            ],
        )


def search_match(
    *,
    kind: str,
    query: str,
    synonyms: Iterable[Sequence[analysis.Phrase]] = (),
    allow_partial: bool = True,
) -> SearchMatch:
    """Plan `query` for matching inside SQL, ranked by how many of its words match."""
    kind = language_kind(kind)
    plan = search_plan_build(kind=kind, query=query, synonyms=synonyms)
    if plan.is_empty:
        return SearchMatch(kind=kind, plan=plan)
    _mark_everyday(kind=kind, plan=plan, backend=get_backend())
    close = (
        sentences.closeness(kind=kind, query=plan.shown_text if plan.was_changed else query)
        if allow_partial and _has_point(plan)
        else None
    )
    nearest: tuple[tuple[int, float], ...] = ()
    if close is not None:
        groups = len(plan.groups)
        nearest = tuple(
            (object_id, groups * SENTENCE_WEIGHT * (cosine - close.baseline))
            for object_id, cosine in close.nearest(SENTENCE_CANDIDATES, minimum=SENTENCE_MINIMUM)
            if cosine > close.baseline
        )
    return SearchMatch(kind=kind, plan=plan, nearest=nearest)
