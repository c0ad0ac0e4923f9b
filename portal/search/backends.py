"""The two full-text backends: SQLite FTS5 (default) and PostgreSQL (`russian`).

Both receive a QueryPlan of word tokens and build their own query syntax from it;
nothing the citizen typed is pasted into MATCH or to_tsquery text.
"""

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

from django.db import connection, transaction
from django.db.models import Q

from portal.search import analysis, memo, sentences
from portal.search.models import SearchDocument, SearchTerm

# Relative weight of a match in the title, the short answer and the body.
TITLE_WEIGHT, SUMMARY_WEIGHT, BODY_WEIGHT = 10.0, 4.0, 1.0
MAX_VOCABULARY_WORD = 64
# A package's kind, or its index in another language ("faq_en", see languages.py).
KIND_RE = re.compile(r"^[a-z]+(?:_[a-z]{2})?$")
# A document is shown when it matches at least this share of what the best one matches.
KEEP_RATIO = 0.5
# What a prefix or a stub stem counts for, against 1 for the whole word: above half,
# so an unfinished word's matches stay beside a whole word's, ranked below them.
WEAK_WEIGHT = 0.6
# How many candidates past the page are re-ranked by bm25 / ts_rank.
RERANK_EXTRA = 50
# What a match in the title counts for, against 1 for a match in the text.
TITLE_BONUS = 1.1
# PostgreSQL's ts_rank weights of D, C, B, A (the body, the short answer, the title).
RANK_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"


def _hundredths(weight: float) -> int:
    return round(weight * 100)


def complete_score(groups: int, in_title: int) -> float:
    """The score of a document holding every group strongly, `in_title` of them in its
    title: as the full scoring sums it (in hundredths, so exactly the same float)."""
    return (groups * 100 + in_title * (_hundredths(TITLE_BONUS) - 100)) / 100.0


@dataclass(frozen=True)
class RankedRow:
    object_id: int
    score: float  # groups matched (title 1.1, weakly 0.5) + a text-rank fraction below 1
    mask: int  # bit n set: group n matched (a prefix or a stub stem too)
    matched: float = 0.0  # the score's part from the groups matched, without the text rank


def _fraction(rank: float) -> float:
    """A text rank (bm25, ts_rank: higher better, >= 0) squeezed into [0, 1)."""
    rank = max(rank, 0.0)
    return rank / (1.0 + rank)


@dataclass(frozen=True)
class IndexedText:
    """What a package hands to the index for one object."""

    object_id: int
    title: str
    summary: str = ""
    body: str = ""


def safe_phrase(phrase: Sequence[str]) -> tuple[str, ...]:
    """The phrase re-cut by the tokenizer: the last guard before query syntax is built.

    Plans are built from tokens already; this keeps a future path (a synonym, a
    correction, a layout guess) from ever carrying a quote or an operator into SQL.
    """
    return tuple(token for word in phrase for token in analysis.WORD_RE.findall(word))


class Match(Enum):
    ALL = "all"  # every group must match
    ANY = "any"  # the fallback when nothing matches every word


def _shares_stem(root: str, stems: set[str]) -> bool:
    """The index holds this stem, or one it begins with ("записа": "запис")."""
    return root in stems or any(
        len(known) > analysis.OVERSTEMMED_LENGTH and root.startswith(known) for known in stems
    )


class Backend:
    """What both backends share: the document registry and the vocabulary."""

    def index(self, *, kind: str, documents: Sequence[IndexedText]) -> None:
        # Encoded before the transaction: a few milliseconds per document, in batches.
        vectors = sentences.document_vectors([(doc.title, doc.summary) for doc in documents])
        memo.generation_start(kind=kind)
        with transaction.atomic():
            ids = self._document_ids(kind, [doc.object_id for doc in documents])
            self._write(kind, [(ids[doc.object_id], doc) for doc in documents])
            self._add_vocabulary(kind, documents)
            with connection.cursor() as cursor:
                cursor.executemany(
                    "UPDATE search_searchdocument SET sentence = %s WHERE id = %s",
                    [
                        (vector, ids[doc.object_id])
                        for doc, vector in zip(documents, vectors, strict=True)
                    ],
                )

    def remove(self, *, kind: str, object_ids: Iterable[int]) -> None:
        memo.generation_start(kind=kind)
        with transaction.atomic():
            docs = SearchDocument.objects.filter(kind=kind, object_id__in=list(object_ids))
            self._erase(list(docs.values_list("pk", flat=True)))
            docs.delete()

    def clear(self, *, kind: str) -> None:
        memo.generation_start(kind=kind)
        with transaction.atomic():
            docs = SearchDocument.objects.filter(kind=kind)
            self._erase(list(docs.values_list("pk", flat=True)))
            self._erase_kind(kind)
            docs.delete()
            SearchTerm.objects.filter(kind=kind).delete()

    @staticmethod
    def _complete_outranks(groups: int) -> bool:
        """Whether a document holding every group strongly outscores any that does not.

        The best a document missing one group's strong match can score is every other
        group in its title and the missing one weakly in its title; a complete one
        scores at least one per group. True up to four groups.
        """
        return (groups - 1) * 1.1 + WEAK_WEIGHT * 1.1 < groups

    def _erase_kind(self, kind: str) -> None:
        """Index rows of `kind` whose registry row is gone (a flushed test database)."""

    def compact(self) -> None:
        """After a rebuild: lay the index out for reading (every search reads it)."""

    def known_stems(self, *, kind: str, stems: Iterable[str]) -> set[str]:
        """The stems the vocabulary of `kind` holds (remembered per word)."""

        def lookup(missing: list[str]) -> dict[str, bool]:
            known = set(
                SearchTerm.objects.filter(kind=kind, stem__in=missing).values_list(
                    "stem", flat=True
                )
            )
            return {stem: stem in known for stem in missing}

        answers = memo.recall_many(kind=kind, keys=stems, compute=lookup)
        return {stem for stem, known in answers.items() if known}

    def begins_words(self, *, kind: str, word: str) -> bool:
        """Whether the vocabulary of `kind` holds a longer word beginning with `word`
        (remembered per word)."""

        def lookup(missing: list[tuple[str, str]]) -> dict[tuple[str, str], bool]:
            return {
                key: SearchTerm.objects.filter(kind=kind, word__startswith=key[1])
                .exclude(word=key[1])
                .exists()
                for key in missing
            }

        return memo.recall_many(kind=kind, keys=[("begins", word)], compute=lookup)[
            ("begins", word)
        ]

    def _document_ids(self, kind: str, object_ids: list[int]) -> dict[int, int]:
        existing = dict(
            SearchDocument.objects.filter(kind=kind, object_id__in=object_ids).values_list(
                "object_id", "pk"
            )
        )
        missing = [oid for oid in dict.fromkeys(object_ids) if oid not in existing]
        if missing:
            SearchDocument.objects.bulk_create(
                [SearchDocument(kind=kind, object_id=oid) for oid in missing], batch_size=500
            )
            existing.update(
                SearchDocument.objects.filter(kind=kind, object_id__in=missing).values_list(
                    "object_id", "pk"
                )
            )
        return existing

    def _add_vocabulary(self, kind: str, documents: Sequence[IndexedText]) -> None:
        vocabulary = {
            word
            for doc in documents
            for text in (doc.title, doc.summary, doc.body)
            for word in analysis.words(text)
            if 3 <= len(word) <= MAX_VOCABULARY_WORD and not word.isdigit()
        }
        SearchTerm.objects.bulk_create(
            [SearchTerm(kind=kind, word=word, stem=analysis.stem(word)) for word in vocabulary],
            batch_size=1000,
            ignore_conflicts=True,
        )

    @classmethod
    def _group_parts(
        cls, plan: analysis.QueryPlan, group: analysis.Group, *, last: bool
    ) -> tuple[list, list]:
        """(strong, weak) parts of a group in the backend's syntax (`_phrase`, `_prefix`):
        its phrases (an over-stemmed word's stub weakly), its weak alternatives, and its
        prefixes (strong only for the word still being typed)."""
        strong: list = []
        weak: list = []
        for phrase in map(safe_phrase, group.alternatives):
            if phrase:
                full, stub = cls._phrase(phrase)
                strong.append(full)
                if stub:
                    weak.append(stub)
        for phrase in map(safe_phrase, group.weak):
            if phrase:
                weak.append(cls._phrase(phrase)[0])
        for word in group.prefixes:
            for token in analysis.WORD_RE.findall(word):
                target = strong if plan.prefix_last and last else weak
                target.append(cls._prefix(analysis.stem(token)))
        return strong, weak

    # Vendor-specific parts.
    @staticmethod
    def _phrase(phrase: tuple[str, ...]):
        """(strong, weak) match syntax of a phrase; weak is None or its stub."""
        raise NotImplementedError

    @staticmethod
    def _prefix(stem: str):
        """Match syntax for every word beginning with `stem`."""
        raise NotImplementedError

    def _write(self, kind: str, rows: list[tuple[int, IndexedText]]) -> None:
        raise NotImplementedError

    def _erase(self, pks: list[int]) -> None:
        raise NotImplementedError

    def ranked(
        self,
        *,
        kind: str,
        plan: analysis.QueryPlan,
        limit: int,
        offset: int,
        cap: int | None = None,
    ) -> tuple[list[RankedRow], int]:
        """A page of documents by groups matched, then text rank; and how many (to `cap`)."""
        raise NotImplementedError

    def group_frequencies(
        self, *, kind: str, plan: analysis.QueryPlan, common_share: int
    ) -> tuple[int, list[int]]:
        """The number of documents, and how many each group matches.

        Counting stops past one document in `common_share` (a common word): one
        statement, the count of documents included, instead of a round trip for each.
        """
        raise NotImplementedError

    # The number of documents of the kind, once per statement, for group_frequencies.
    DOCUMENTS_CTE = (
        "WITH d AS MATERIALIZED (SELECT count(*) AS n FROM search_searchdocument WHERE kind = %s)"
    )

    def scored_sql(self, *, kind: str, plan: analysis.QueryPlan, match=None) -> tuple[str, list]:
        """A SELECT of (id, score) for every match worth showing: for a caller's CTE."""
        raise NotImplementedError

    def typo_neighbours(self, *, kind: str, words: Iterable[str]) -> dict[str, list[str]]:
        """Vocabulary words one edit away from each word (remembered per word)."""

        def lookup(missing: list[tuple[str, str]]) -> dict[tuple[str, str], list[str]]:
            found = self._typo_neighbours(kind=kind, words=[word for _, word in missing])
            return {key: found.get(key[1], []) for key in missing}

        answers = memo.recall_many(
            kind=kind, keys=[("typo", word) for word in words], compute=lookup
        )
        return {word: found for (_, word), found in answers.items()}

    def _typo_neighbours(self, *, kind: str, words: Iterable[str]) -> dict[str, list[str]]:
        """Vocabulary words one edit away from each word, or whose stem is one edit away.

        The stem path forgives a typo in the ending too: "регистрацыя" is one edit
        from "регистрация", which shares its stem with "регистрации" in the text.
        Both lookups use the (kind, word) and (kind, stem) indexes.
        """
        wanted = {word: analysis.edits1(word) for word in words}
        wanted_stems = {
            word: {analysis.stem(edit) for edit in edits} - {""} for word, edits in wanted.items()
        }
        all_words = set().union(*wanted.values()) if wanted else set()
        all_stems = set().union(*wanted_stems.values()) if wanted_stems else set()
        if not all_words:
            return {}
        rows = list(
            SearchTerm.objects.filter(kind=kind)
            .filter(Q(word__in=all_words) | Q(stem__in=all_stems))
            .values_list("word", "stem")
        )
        indexed_stems = {st for _, st in rows}
        found: dict[str, list[str]] = {}
        for word in wanted:
            exact = sorted(w for w, _ in rows if w in wanted[word])
            # A dictionary word one edit away whose stem the index holds ("записатся":
            # "записаться") before an indexed word that only shares a stem with an edit
            # ("записью").
            dictionary = sorted(
                (
                    edit
                    for edit in wanted[word]
                    if edit not in exact
                    and _shares_stem(analysis.stem(edit), indexed_stems)
                    and analysis.is_russian_word(edit)
                ),
                # The index's own stem first; then a letter left out ("записатся"), the
                # commonest slip, before one mistyped or one too many.
                key=lambda edit: (
                    analysis.stem(edit) not in indexed_stems,
                    len(word) - len(edit),
                    edit,
                ),
            )
            by_stem = sorted(
                {
                    w
                    for w, st in rows
                    # A stub stem ("кра") is shared by unrelated words: not a correction.
                    if st in wanted_stems[word]
                    and len(st) > analysis.OVERSTEMMED_LENGTH
                    and w not in exact
                    and w not in dictionary
                },
                key=lambda w: (abs(len(w) - len(word)), w),
            )
            found[word] = exact + dictionary + by_stem
        return found


class SQLiteBackend(Backend):
    """FTS5 over Snowball stems computed in Python; bm25 with column weights."""

    def _write(self, kind: str, rows: list[tuple[int, IndexedText]]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [(pk,) for pk, _ in rows])
            cursor.executemany(
                "INSERT INTO search_fts (rowid, kind, object_id, title, summary, body) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                [
                    (
                        pk,
                        self.fts_kind(kind),
                        doc.object_id,
                        analysis.stemmed_text(doc.title),
                        analysis.stemmed_text(doc.summary),
                        analysis.stemmed_text(doc.body),
                    )
                    for pk, doc in rows
                ],
            )

    def _erase(self, pks: list[int]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [(pk,) for pk in pks])

    def _erase_kind(self, kind: str) -> None:
        # The FTS table is not a model: Django's flush between transactional tests
        # empties the registry but leaves these rows, which would then be found.
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM search_fts WHERE rowid IN "
                "(SELECT rowid FROM search_fts WHERE search_fts MATCH %s)",
                [SQLiteBackend.kind_expression(kind)],
            )

    def compact(self) -> None:
        # A rebuild leaves FTS5 with many segments and the deleted rows' entries, which
        # every MATCH reads and skips: at 20,000 articles a search read about twice as
        # much as from the one merged segment `optimize` writes (a few seconds, once).
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")

    @staticmethod
    def kind_expression(kind: str) -> str:
        return f'kind : "{SQLiteBackend.fts_kind(kind)}"'

    @staticmethod
    def fts_kind(kind: str) -> str:
        """The kind as one FTS5 token: the tokenizer would cut "faq_en" into "faq" and
        "en", and `kind : "faq"` would then match the English documents too."""
        if not KIND_RE.match(kind):
            raise ValueError(f"Bad search kind {kind!r}")
        return kind.replace("_", "")

    @staticmethod
    def _phrase(phrase: tuple[str, ...]) -> tuple[str, str | None]:
        """(strong, weak) FTS5 strings for a phrase: stems in quotes, tokens only.

        An over-stemmed single word is matched by its exact form (kept in the index
        beside the stem), and by the stub stem only weakly.
        """
        if len(phrase) == 1 and analysis.overstemmed(phrase[0]):
            return f'"{phrase[0]}"', f'"{analysis.stem(phrase[0])}"'
        return '"' + " ".join(analysis.stem(word) for word in phrase) + '"', None

    @classmethod
    def group_expressions(
        cls, plan: analysis.QueryPlan, group: analysis.Group, *, last: bool
    ) -> tuple[str, str]:
        """(strong, weak) OR-expressions of a group; either may be empty."""
        strong, weak = cls._group_parts(plan, group, last=last)
        return " OR ".join(dict.fromkeys(strong)), " OR ".join(dict.fromkeys(weak))

    @staticmethod
    def _prefix(stem: str) -> str:
        # The stem of what was typed so far: "регистраци" → "регистрац"*.
        return f'"{stem}"*'

    def _coverage_sql(self, kind: str, plan: analysis.QueryPlan) -> tuple[str, list]:
        """rowid, score, mask of every document matching any group.

        The score adds up, per group, its best way of matching: in the title 1.1, in the
        text 1, weakly (a prefix, a stub stem) WEAK_WEIGHT times that. `mask` has a bit
        per group
        matched (weakly too). One FTS MATCH per branch; no bm25 over all matches.
        """
        branches: list[str] = []
        params: list = []
        kind_match = self.kind_expression(kind)
        last = len(plan.groups) - 1
        # An everyday word is matched only beside a word of the query's point, so that
        # its thousands of matches are never read on their own.
        pointed = self._pointed_expression(plan) if plan.weighted else ""
        for position, group in enumerate(plan.groups):
            strong, weak = self.group_expressions(plan, group, last=position == last)
            beside = f" AND ({pointed})" if group.everyday and pointed else ""
            for expression, weight, full in ((strong, 1.0, 1), (weak, WEAK_WEIGHT, 1)):
                if not expression:
                    continue
                for title_only, bonus in ((True, TITLE_BONUS), (False, 1.0)):
                    column = "{title} : " if title_only else ""
                    points = _hundredths(weight * bonus * group.weight)
                    branches.append(
                        f"SELECT rowid AS r, {position} AS g, {points} AS w, "
                        f"{full} AS f FROM search_fts WHERE search_fts MATCH %s"
                    )
                    params.append(f"{kind_match} AND {column}({expression}){beside}")
        if not branches:
            return "SELECT NULL AS r, 0 AS score, 0 AS mask WHERE 0", []
        # One GROUP BY (one sort of the branch rows), the group's best way per column:
        # sorting the rows twice (by document and group, then by document) cost a third more.
        groups = range(len(plan.groups))
        score = " + ".join(f"MAX(CASE WHEN g = {g} THEN w ELSE 0 END)" for g in groups)
        mask = " | ".join(f"MAX(CASE WHEN g = {g} THEN {1 << g} ELSE 0 END)" for g in groups)
        # Weights are summed in whole hundredths: the same score whatever the order
        # of the groups, so the shortcut below can compute it without the full sum.
        sql = (
            f"SELECT r, ({score}) / 100.0 AS score, {mask} AS mask FROM ("
            + " UNION ALL ".join(branches)
            + ") GROUP BY r"
        )
        return sql, params

    def _kept_sql(self, kind: str, plan: analysis.QueryPlan) -> tuple[str, list]:
        """The matches worth showing: at least half as good as the best one."""
        coverage, params = self._coverage_sql(kind, plan)
        return (
            f"SELECT r, score, mask FROM (SELECT r, score, mask, MAX(score) OVER () AS best "
            f"FROM ({coverage})) WHERE score > best * {KEEP_RATIO}",
            params,
        )

    def _pointed_expression(self, plan: analysis.QueryPlan) -> str:
        """Any match, strong or weak, of a group of the query's point."""
        parts = []
        last = len(plan.groups) - 1
        for position in plan.pointed():
            group = plan.groups[position]
            parts.extend(
                part for part in self.group_expressions(plan, group, last=position == last) if part
            )
        return " OR ".join(parts)

    def any_expression(self, kind: str, plan: analysis.QueryPlan) -> str:
        parts = []
        last = len(plan.groups) - 1
        for position, group in enumerate(plan.groups):
            strong, weak = self.group_expressions(plan, group, last=position == last)
            parts.extend(part for part in (strong, weak) if part)
        return f"{self.kind_expression(kind)} AND (" + " OR ".join(parts) + ")"

    def _complete_candidates(
        self, cursor, kind: str, plan: analysis.QueryPlan, candidates: int, cap: int
    ) -> list[tuple[int, float, int]] | None:
        """The best candidates when at least `cap` documents hold every group strongly.

        Then they are the best documents (`_complete_outranks`), all are kept (the
        best score is at most 1.1 per group, half of it below 1 per group) and the
        count reaches the cap: only how many groups their titles hold decides the
        order, then the row id. So the candidates are read by level, in one statement:
        documents with every group in the title, with one group fewer, and so on,
        each level from FTS5 in row-id order under a LIMIT, so that it stops as soon
        as it has enough (for a common word after a few hundred rows, not after
        every match, and with no sort of them all).
        None when that does not hold: the caller scores every match.
        """
        groups = len(plan.groups)
        if plan.weighted or not self._complete_outranks(groups):
            return None
        kind_match = self.kind_expression(kind)
        last = groups - 1
        strong = [
            self.group_expressions(plan, group, last=position == last)[0]
            for position, group in enumerate(plan.groups)
        ]
        if not all(strong):
            return None
        every = f"{kind_match} AND " + " AND ".join(f"({part})" for part in strong)
        cursor.execute(
            "SELECT count(*) FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH %s LIMIT %s)",
            [every, cap],
        )
        if cursor.fetchone()[0] < cap:
            return None
        titles = [f"{{title}} : ({part})" for part in strong]
        levels: list[str] = []
        params: list = []
        for in_title in range(groups, -1, -1):
            if in_title == groups:
                # A group in the title is a strong match: no need to AND `every`.
                expression = f"{kind_match} AND " + " AND ".join(titles)
            elif in_title:
                either = " OR ".join(
                    "(" + " AND ".join(combo) + ")"
                    for combo in itertools.combinations(titles, in_title)
                )
                expression = f"{every} AND ({either})"
            else:
                expression = every
            levels.append(
                f"SELECT * FROM (SELECT rowid, {in_title} FROM search_fts "
                "WHERE search_fts MATCH %s LIMIT %s)"
            )
            params += [expression, candidates]
        # Each level is the first `candidates` with at least that many groups in the
        # title; a document is kept at the first (highest) level that lists it.
        cursor.execute(" UNION ALL ".join(levels), params)
        everything = (1 << groups) - 1
        found: dict[int, float] = {}
        # Stable: within a level FTS5 returns row-id order.
        for rowid, in_title in sorted(cursor.fetchall(), key=lambda row: -row[1]):
            if len(found) == candidates:
                break
            if rowid not in found:
                found[rowid] = complete_score(groups, in_title)
        return [(r, score, everything) for r, score in found.items()]

    def ranked(self, *, kind, plan, limit, offset, cap=None):
        # Candidates by words matched; bm25 (title 10, summary 4, body 1) only among
        # them, so its cost does not grow with thousands of matches of a common word.
        candidates = offset + limit + RERANK_EXTRA
        with connection.cursor() as cursor:
            found = None
            if cap is not None:
                found = self._complete_candidates(
                    cursor, kind, plan, candidates, max(cap, candidates)
                )
                total = cap
            if found is None:
                found, total = self._scored_candidates(cursor, kind, plan, candidates, cap)
            if not found:
                return [], 0
            pks = [r for r, _, _ in found]
            # `+` keeps the rowid list away from FTS5's planner: given `rowid IN (…)` it
            # runs the whole MATCH (and bm25's per-phrase statistics) once per listed
            # rowid, 60 times over: ~470 ms at 20,000 articles instead of ~18 ms.
            cursor.execute(
                "SELECT f.rowid, bm25(search_fts, 0, 0, %s, %s, %s), d.object_id "
                "FROM search_fts f JOIN search_searchdocument d ON d.id = f.rowid "
                f"WHERE search_fts MATCH %s AND +f.rowid IN ({', '.join(['%s'] * len(pks))})",
                [TITLE_WEIGHT, SUMMARY_WEIGHT, BODY_WEIGHT, self.any_expression(kind, plan), *pks],
            )
            extra = {r: (-bm, object_id) for r, bm, object_id in cursor.fetchall()}
        ordered = sorted(
            (row for row in found if row[0] in extra),
            key=lambda row: (-row[1], -extra[row[0]][0], row[0]),
        )[offset : offset + limit]
        return [
            RankedRow(extra[r][1], score + _fraction(extra[r][0]), mask, score)
            for r, score, mask in ordered
        ], total

    def _scored_candidates(
        self, cursor, kind: str, plan: analysis.QueryPlan, candidates: int, cap: int | None
    ) -> tuple[list[tuple[int, float, int]], int]:
        """Every match scored and cut at half the best: the best candidates and the count."""
        kept, params = self._kept_sql(kind, plan)
        cursor.execute(
            f"WITH k AS MATERIALIZED ({kept}) "
            "SELECT r, score, mask, NULL FROM (SELECT r, score, mask FROM k "
            "ORDER BY score DESC, r LIMIT %s) "
            "UNION ALL SELECT NULL, NULL, NULL, (SELECT count(*) FROM "
            "(SELECT 1 FROM k LIMIT %s))",
            [*params, candidates, cap if cap is not None else -1],
        )
        rows = cursor.fetchall()
        total = next(row[3] for row in rows if row[0] is None)
        return [(r, score, mask) for r, score, mask, _ in rows if r is not None], total

    def group_frequencies(self, *, kind, plan, common_share):
        selects = []
        params: list = []
        last = len(plan.groups) - 1
        for position, group in enumerate(plan.groups):
            either = " OR ".join(
                part for part in self.group_expressions(plan, group, last=position == last) if part
            )
            if either:
                selects.append(
                    "(SELECT count(*) FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH %s "
                    "LIMIT (SELECT n / %s + 1 FROM d)))"
                )
                params += [f"{self.kind_expression(kind)} AND ({either})", common_share]
            else:
                selects.append("0")
        with connection.cursor() as cursor:
            cursor.execute(
                f"{self.DOCUMENTS_CTE} SELECT {', '.join(['n', *selects])} FROM d", [kind, *params]
            )
            documents, *frequencies = cursor.fetchone()
            return documents, frequencies

    # The object id is read through the registry row (an integer primary key lookup),
    # not from the FTS row's stored columns: for thousands of matches that is several
    # times faster. CROSS JOIN keeps SQLite from scanning the registry first.
    def scored_sql(self, *, kind, plan, match=None):
        kept, params = self._kept_sql(kind, plan)
        return (
            f"SELECT d.object_id AS id, k.score AS score FROM ({kept}) AS k "
            "CROSS JOIN search_searchdocument d ON d.id = k.r",
            params,
        )


class PostgresBackend(Backend):
    """tsvector with the `russian` configuration, GIN index; pg_trgm for typos."""

    # Each column's text with the `russian` configuration, and beside it the exact form
    # of its over-stemmed words with `simple` ("есиа", not only "ес").
    VECTOR_SQL = (
        "setweight(to_tsvector('russian', %s) || to_tsvector('simple', %s), 'A') || "
        "setweight(to_tsvector('russian', %s) || to_tsvector('simple', %s), 'B') || "
        "setweight(to_tsvector('russian', %s) || to_tsvector('simple', %s), 'C')"
    )

    def _erase(self, pks):
        """The vector lives on the registry row, which the caller deletes."""

    def compact(self) -> None:
        # Fresh statistics after a rebuild, so the planner knows how common a kind is.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchdocument")

    def _write(self, kind, rows):
        with connection.cursor() as cursor:
            cursor.executemany(
                # The title's part kept beside the vector, exactly as ts_filter cuts it.
                "UPDATE search_searchdocument SET vector = v.v, title_vector = ts_filter(v.v, "
                f"'{{a}}') FROM (SELECT {self.VECTOR_SQL} AS v) AS v WHERE id = %s",
                [
                    (
                        analysis.normalize(doc.title),
                        " ".join(analysis.exact_words(doc.title)),
                        analysis.normalize(doc.summary),
                        " ".join(analysis.exact_words(doc.summary)),
                        analysis.normalize(doc.body),
                        " ".join(analysis.exact_words(doc.body)),
                        pk,
                    )
                    for pk, doc in rows
                ],
            )

    @staticmethod
    def _phrase(phrase: tuple[str, ...]) -> tuple[tuple[str, str], tuple[str, str] | None]:
        """(strong, weak) tsquery SQL with its parameter; an over-stemmed word by its form."""
        if len(phrase) == 1 and analysis.overstemmed(phrase[0]):
            return ("plainto_tsquery('simple', %s)", phrase[0]), (
                "plainto_tsquery('russian', %s)",
                phrase[0],
            )
        if len(phrase) == 1:
            return ("plainto_tsquery('russian', %s)", phrase[0]), None
        return ("phraseto_tsquery('russian', %s)", " ".join(phrase)), None

    @staticmethod
    def _prefix(stem: str) -> tuple[str, str]:
        # The token holds only letters and digits, so ':*' is the only operator.
        return ("to_tsquery('simple', %s)", f"{stem}:*")

    @classmethod
    def group_queries(
        cls, plan: analysis.QueryPlan, group: analysis.Group, *, last: bool
    ) -> tuple[tuple[str, list[str]] | None, tuple[str, list[str]] | None]:
        """(strong, weak) tsquery expressions of a group with their parameters."""
        strong, weak = cls._group_parts(plan, group, last=last)

        def combine(parts: list[tuple[str, str]]) -> tuple[str, list[str]] | None:
            parts = list(dict.fromkeys(parts))
            if not parts:
                return None
            return "(" + " || ".join(sql for sql, _ in parts) + ")", [p for _, p in parts]

        return combine(strong), combine(weak)

    def _coverage_sql(self, kind: str, plan: analysis.QueryPlan) -> tuple[str, list]:
        """id, score, mask, rank of every document matching any group: as SQLite scores it."""
        columns: list[str] = []
        column_params: list = []
        mask_params: list = []
        mask_parts: list[str] = []
        last = len(plan.groups) - 1
        for position, group in enumerate(plan.groups):
            strong, weak = self.group_queries(plan, group, last=position == last)
            cases: list[str] = []
            group_sql: list[str] = []
            for query, weight in ((strong, 1.0), (weak, WEAK_WEIGHT)):
                if query is None:
                    continue
                sql, params = query
                group_sql.append(sql)
                mask_params += params
                # In whole hundredths, as SQLite sums them: the same scores on both.
                in_title = _hundredths(weight * TITLE_BONUS * group.weight) / 100
                in_text = _hundredths(weight * group.weight) / 100
                cases.append(f"WHEN title_vector @@ {sql} THEN {in_title}")
                cases.append(f"WHEN vector @@ {sql} THEN {in_text}")
                column_params += params * 2
            if cases:
                columns.append("CASE " + " ".join(cases) + " ELSE 0 END")
            if group_sql:
                mask_parts.append(
                    f"CASE WHEN vector @@ ({' || '.join(group_sql)}) THEN {1 << position} "
                    "ELSE 0 END"
                )
        # An everyday word is matched only beside a word of the query's point.
        any_query, any_params = self._any_query(plan, pointed=plan.weighted)
        if not any_params:
            return "SELECT NULL::bigint AS id, 0 AS score, 0 AS mask, 0 AS rank WHERE FALSE", []
        sql = (
            f"SELECT object_id AS id, ({' + '.join(columns)}) AS score, "
            f"({' + '.join(mask_parts) or '0'}) AS mask, "
            f"ts_rank('{RANK_WEIGHTS}', vector, q.query) AS rank "
            f"FROM search_searchdocument, (SELECT {any_query} AS query) AS q "
            "WHERE kind = %s AND vector @@ q.query"
        )
        # Parameters in text order: the select list's, then the FROM's, then the kind.
        return sql, [*column_params, *mask_params, *any_params, kind]

    def _any_query(self, plan: analysis.QueryPlan, *, pointed: bool = False) -> tuple[str, list]:
        """One tsquery matching any group (or any of the query's point), strongly or
        weakly: what ts_rank ranks by."""
        parts: list[str] = []
        params: list = []
        last = len(plan.groups) - 1
        for position, group in enumerate(plan.groups):
            if pointed and group.everyday:
                continue
            for query in self.group_queries(plan, group, last=position == last):
                if query is not None:
                    parts.append(query[0])
                    params += query[1]
        return "(" + " || ".join(parts) + ")", params

    def _complete_page(
        self, cursor, kind: str, plan: analysis.QueryPlan, limit: int, offset: int, cap: int
    ) -> list[RankedRow] | None:
        """The page when at least `cap` documents hold every group strongly.

        Then they are the best documents and the count reaches the cap, as for SQLite
        (see its `_complete_candidates`): the order is how many groups the title
        holds, then ts_rank, then the object id. So the page is read level by level
        in one statement: documents with every group in the title (`title_vector` and
        its GIN index find them), with exactly one group fewer, and so on, each level
        ranked by ts_rank under a LIMIT. PostgreSQL runs the levels
        of a UNION ALL one after the other and stops when the outer LIMIT is reached:
        a level further down (for a common word, thousands of documents holding it
        only in the text) is neither read nor ranked once the levels above fill the
        page. The page is the same as when every match is scored. A group whose words
        PostgreSQL's stop list drops is left out of the levels (it matches nothing).
        None when that does not hold: the caller scores every match.
        """
        if plan.weighted or not self._complete_outranks(len(plan.groups)):
            return None
        last = len(plan.groups) - 1
        queries = [
            self.group_queries(plan, group, last=position == last)
            for position, group in enumerate(plan.groups)
        ]
        if not all(strong for strong, _ in queries):
            return None
        live = list(range(len(queries)))
        count, *nodes = self._complete_count(cursor, kind, queries, live, cap)
        if count < cap:
            # A group of words PostgreSQL drops (stop words: "как по" while typing)
            # matches nothing, so it adds nothing to any score: rank by the others.
            live = [position for position, size in enumerate(nodes) if size]
            if not live or len(live) == len(queries):
                return None
            if self._complete_count(cursor, kind, queries, live, cap)[0] < cap:
                return None
        groups = len(live)
        if not self._complete_outranks(groups):
            return None
        strong = [queries[position][0] for position in live]
        every = " AND ".join(f"vector @@ {sql}" for sql, _ in strong)
        every_params = [p for _, params in strong for p in params]
        any_query, any_params = self._any_query(plan)
        titles = [f"title_vector @@ {sql}" for sql, _ in strong]
        title_params = every_params
        in_title = " + ".join(f"({title})::int" for title in titles)
        wanted = offset + limit
        levels: list[str] = []
        params: list = []
        for level in range(groups, -1, -1):
            if level == groups:
                # A group in the title is a strong match: no need to AND `every`, which
                # would tempt the planner to the index of every word's match instead.
                condition, condition_params = " AND ".join(titles), title_params
            elif level:
                # Exactly `level` groups in the title; the OR lets the title index help.
                condition = f"{every} AND ({' OR '.join(titles)}) AND {in_title} = {level}"
                condition_params = every_params + title_params * 2
            else:
                condition = f"{every} AND {in_title} = 0"
                condition_params = every_params + title_params
            levels.append(
                f"(SELECT object_id, {level} AS t, ts_rank('{RANK_WEIGHTS}', vector, "
                f"{any_query}) AS rank FROM search_searchdocument "
                f"WHERE kind = %s AND {condition} "
                "ORDER BY rank DESC, object_id LIMIT %s)"
            )
            params += [*any_params, kind, *condition_params, wanted]
        cursor.execute(
            f"SELECT * FROM ({' UNION ALL '.join(levels)}) AS levels LIMIT %s", [*params, wanted]
        )
        everything = sum(1 << position for position in live)
        rows = sorted(cursor.fetchall(), key=lambda row: (-row[1], -row[2], row[0]))
        return [
            RankedRow(
                int(oid),
                complete_score(groups, level) + _fraction(float(rank) * 10),
                everything,
                complete_score(groups, level),
            )
            for oid, level, rank in rows[offset:wanted]
        ]

    @staticmethod
    def _complete_count(cursor, kind: str, queries: list, live: list[int], cap: int) -> list[int]:
        """How many documents (up to `cap`) hold every `live` group strongly; and how
        many tsquery nodes each group has (0: PostgreSQL dropped all its words)."""
        every = " AND ".join(f"vector @@ {queries[position][0][0]}" for position in live)
        nodes = [
            "numnode(" + " || ".join(query[0] for query in pair if query is not None) + ")"
            for pair in queries
        ]
        cursor.execute(
            "SELECT (SELECT count(*) FROM (SELECT 1 FROM search_searchdocument "
            f"WHERE kind = %s AND {every} LIMIT %s) AS c), {', '.join(nodes)}",
            [
                kind,
                *(p for position in live for p in queries[position][0][1]),
                cap,
                *(p for pair in queries for query in pair if query is not None for p in query[1]),
            ],
        )
        return list(cursor.fetchone())

    def _kept_sql(self, kind, plan):
        coverage, params = self._coverage_sql(kind, plan)
        return (
            "SELECT id, score, mask, rank FROM (SELECT c.*, MAX(score) OVER () AS best "
            f"FROM ({coverage}) AS c) AS b WHERE score > best * {KEEP_RATIO}",
            params,
        )

    def ranked(self, *, kind, plan, limit, offset, cap=None):
        if cap is not None:
            with connection.cursor() as cursor:
                page = self._complete_page(
                    cursor, kind, plan, limit, offset, max(cap, offset + limit + 1)
                )
            if page is not None:
                return page, cap
        kept, params = self._kept_sql(kind, plan)
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH k AS MATERIALIZED ({kept}) "
                "SELECT id, score, mask, rank, NULL FROM (SELECT * FROM k "
                "ORDER BY score DESC, rank DESC, id LIMIT %s OFFSET %s) AS p "
                "UNION ALL SELECT NULL, NULL, NULL, NULL, (SELECT count(*) FROM "
                "(SELECT 1 FROM k LIMIT %s) AS n)",
                [*params, limit, offset, cap],
            )
            rows = cursor.fetchall()
        total = next(row[4] for row in rows if row[0] is None)
        found = sorted(
            (row for row in rows if row[0] is not None), key=lambda r: (-r[1], -r[3], r[0])
        )
        return [
            RankedRow(int(oid), float(score) + _fraction(float(rank) * 10), int(mask), float(score))
            for oid, score, mask, rank, _ in found
        ], int(total)

    def group_frequencies(self, *, kind, plan, common_share):
        selects = []
        params: list = []
        last = len(plan.groups) - 1
        for position, group in enumerate(plan.groups):
            queries = [
                q for q in self.group_queries(plan, group, last=position == last) if q is not None
            ]
            if not queries:
                selects.append("0")
                continue
            selects.append(
                "(SELECT count(*) FROM (SELECT 1 FROM search_searchdocument WHERE kind = %s "
                f"AND vector @@ ({' || '.join(sql for sql, _ in queries)}) "
                "LIMIT (SELECT n / %s + 1 FROM d)) AS n)"
            )
            params += [kind, *(p for _, ps in queries for p in ps), common_share]
        with connection.cursor() as cursor:
            cursor.execute(
                f"{self.DOCUMENTS_CTE} SELECT {', '.join(['n', *selects])} FROM d", [kind, *params]
            )
            documents, *frequencies = cursor.fetchone()
            return int(documents), [int(n) for n in frequencies]

    def scored_sql(self, *, kind, plan, match=None):
        kept, params = self._kept_sql(kind, plan)
        return (
            f"SELECT k.id AS id, k.score + k.rank AS score FROM ({kept}) AS k",
            params,
        )

    def _typo_neighbours(self, *, kind, words):
        words = list(words)
        found = super()._typo_neighbours(kind=kind, words=words)
        if not words:
            return found
        with connection.cursor() as cursor:
            # `%` is pg_trgm's similarity operator (GIN-indexed), one query for all
            # words; the exact one-edit rule is applied after, the rule SQLite uses.
            cursor.execute(
                "SELECT typed.word, term.word FROM unnest(%s::text[]) AS typed(word) "
                "JOIN search_searchterm AS term ON term.kind = %s AND term.word %% typed.word",
                [words, kind],
            )
            for typed, similar in cursor.fetchall():
                if analysis.within_one_edit(similar, typed):
                    known = found.setdefault(typed, [])
                    if similar not in known:
                        known.append(similar)
        return found


def get_backend() -> Backend:
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    raise RuntimeError(f"No search backend for {connection.vendor}")
