"""The two full-text backends: SQLite FTS5 (default) and PostgreSQL (`russian`).

Both receive a QueryPlan of word tokens and build their own query syntax from it;
nothing the citizen typed is pasted into MATCH or to_tsquery text.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

from django.db import connection, transaction
from django.db.models import Q

from portal.search import analysis
from portal.search.models import SearchDocument, SearchTerm

# Relative weight of a match in the title, the short answer and the body.
TITLE_WEIGHT, SUMMARY_WEIGHT, BODY_WEIGHT = 10.0, 4.0, 1.0
MAX_VOCABULARY_WORD = 64
KIND_RE = re.compile(r"^[a-z]+$")


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


class Backend:
    """What both backends share: the document registry and the vocabulary."""

    def index(self, *, kind: str, documents: Sequence[IndexedText]) -> None:
        with transaction.atomic():
            ids = self._document_ids(kind, [doc.object_id for doc in documents])
            self._write(kind, [(ids[doc.object_id], doc) for doc in documents])
            self._add_vocabulary(kind, documents)

    def remove(self, *, kind: str, object_ids: Iterable[int]) -> None:
        with transaction.atomic():
            docs = SearchDocument.objects.filter(kind=kind, object_id__in=list(object_ids))
            self._erase([doc.pk for doc in docs])
            docs.delete()

    def clear(self, *, kind: str) -> None:
        with transaction.atomic():
            docs = SearchDocument.objects.filter(kind=kind)
            self._erase(list(docs.values_list("pk", flat=True)))
            self._erase_kind(kind)
            docs.delete()
            SearchTerm.objects.filter(kind=kind).delete()

    def _erase_kind(self, kind: str) -> None:
        """Index rows of `kind` whose registry row is gone (a flushed test database)."""

    def known_stems(self, *, kind: str, stems: Iterable[str]) -> set[str]:
        return set(
            SearchTerm.objects.filter(kind=kind, stem__in=set(stems)).values_list("stem", flat=True)
        )

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

    # Vendor-specific parts.
    def _write(self, kind: str, rows: list[tuple[int, IndexedText]]) -> None:
        raise NotImplementedError

    def _erase(self, pks: list[int]) -> None:
        raise NotImplementedError

    def search(
        self,
        *,
        kind: str,
        plan: analysis.QueryPlan,
        match: Match,
        limit: int,
        offset: int,
        title_only: bool = False,
    ) -> list[tuple[int, float]]:
        raise NotImplementedError

    def count(
        self, *, kind: str, plan: analysis.QueryPlan, match: Match, cap: int | None = None
    ) -> int:
        """How many documents match, counting no further than `cap`."""
        raise NotImplementedError

    def scored_sql(self, *, kind: str, plan: analysis.QueryPlan, match: Match) -> tuple[str, list]:
        """A SELECT of (id, score) for every match, higher score better: for a caller's CTE."""
        raise NotImplementedError

    def typo_neighbours(self, *, kind: str, words: Iterable[str]) -> dict[str, list[str]]:
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
        found: dict[str, list[str]] = {}
        for word in wanted:
            exact = sorted(w for w, _ in rows if w in wanted[word])
            by_stem = sorted(
                {w for w, st in rows if st in wanted_stems[word] and w not in exact},
                key=lambda w: (abs(len(w) - len(word)), w),
            )
            found[word] = exact + by_stem
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
                        kind,
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

    @staticmethod
    def match_expression(
        plan: analysis.QueryPlan, match: Match, *, kind: str | None = None, title_only: bool = False
    ) -> str:
        """FTS5 syntax built only from stems, which hold letters and digits alone.

        The kind is matched as a token of its own indexed column: filtering on an
        unindexed column would read every matching row.
        """
        groups = []
        last = len(plan.groups) - 1
        for position, group in enumerate(plan.groups):
            alternatives = []
            for phrase in map(safe_phrase, group.alternatives):
                if not phrase:
                    continue
                phrase_stems = " ".join(analysis.stem(word) for word in phrase)
                prefix = "*" if plan.prefix_last and position == last and len(phrase) == 1 else ""
                alternatives.append(f'"{phrase_stems}"{prefix}')
            groups.append("(" + " OR ".join(alternatives) + ")")
        expression = "(" + (" AND " if match is Match.ALL else " OR ").join(groups) + ")"
        if title_only:
            expression = "{title} : " + expression
        if kind is not None:
            expression = f"{SQLiteBackend.kind_expression(kind)} AND {expression}"
        return expression

    @staticmethod
    def kind_expression(kind: str) -> str:
        if not KIND_RE.match(kind):
            raise ValueError(f"Bad search kind {kind!r}")
        return f'kind : "{kind}"'

    def search(self, *, kind, plan, match, limit, offset, title_only=False):
        with connection.cursor() as cursor:
            # Only the rowid is read from the FTS table (its stored columns cost a row
            # read per match); the page's ids come from the registry by primary key.
            cursor.execute(
                "SELECT d.object_id, f.score FROM (SELECT rowid AS r, "
                "bm25(search_fts, 0, 0, %s, %s, %s) AS score "
                "FROM search_fts WHERE search_fts MATCH %s "
                "ORDER BY score, rowid LIMIT %s OFFSET %s) AS f "
                "JOIN search_searchdocument d ON d.id = f.r ORDER BY f.score, f.r",
                [
                    TITLE_WEIGHT,
                    SUMMARY_WEIGHT,
                    BODY_WEIGHT,
                    self.match_expression(plan, match, kind=kind, title_only=title_only),
                    limit,
                    offset,
                ],
            )
            # bm25 is lower for better matches; callers expect higher is better.
            return [(int(object_id), -score) for object_id, score in cursor.fetchall()]

    def count(self, *, kind, plan, match, cap=None):
        expression = self.match_expression(plan, match, kind=kind)
        with connection.cursor() as cursor:
            if cap is None:
                cursor.execute(
                    "SELECT count(*) FROM search_fts WHERE search_fts MATCH %s", [expression]
                )
            else:
                cursor.execute(
                    "SELECT count(*) FROM (SELECT 1 FROM search_fts "
                    "WHERE search_fts MATCH %s LIMIT %s)",
                    [expression, cap],
                )
            return cursor.fetchone()[0]

    # The object id is read through the registry row (an integer primary key lookup),
    # not from the FTS row's stored columns: for thousands of matches that is several
    # times faster. CROSS JOIN keeps SQLite from scanning the registry first.
    def scored_sql(self, *, kind, plan, match):
        return (
            "SELECT d.object_id AS id, -f.score AS score FROM (SELECT rowid AS r, "
            "bm25(search_fts, 0, 0, %s, %s, %s) AS score FROM search_fts "
            "WHERE search_fts MATCH %s) AS f "
            "CROSS JOIN search_searchdocument d ON d.id = f.r",
            [
                TITLE_WEIGHT,
                SUMMARY_WEIGHT,
                BODY_WEIGHT,
                self.match_expression(plan, match, kind=kind),
            ],
        )


class PostgresBackend(Backend):
    """tsvector with the `russian` configuration, GIN index; pg_trgm for typos."""

    VECTOR_SQL = (
        "setweight(to_tsvector('russian', %s), 'A') || "
        "setweight(to_tsvector('russian', %s), 'B') || "
        "setweight(to_tsvector('russian', %s), 'C')"
    )

    def _write(self, kind, rows):
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE search_searchdocument SET vector = {self.VECTOR_SQL} WHERE id = %s",
                [
                    (
                        analysis.normalize(doc.title),
                        analysis.normalize(doc.summary),
                        analysis.normalize(doc.body),
                        pk,
                    )
                    for pk, doc in rows
                ],
            )

    def _erase(self, pks):
        """The vector lives on the registry row, which the caller deletes."""

    @staticmethod
    def tsquery(plan: analysis.QueryPlan, match: Match) -> tuple[str, list[str]]:
        """SQL that builds the tsquery from parameters, one function call per token.

        It is an expression: callers select it in a subquery (`(SELECT … AS query) AS q`),
        since PostgreSQL does not take a parenthesised expression as a FROM item.
        """
        parts: list[str] = []
        params: list[str] = []
        last = len(plan.groups) - 1
        for position, group in enumerate(plan.groups):
            alternatives = []
            for phrase in map(safe_phrase, group.alternatives):
                if not phrase:
                    continue
                if plan.prefix_last and position == last and len(phrase) == 1:
                    # The token holds only letters and digits, so ':*' is the only operator.
                    alternatives.append("to_tsquery('russian', %s)")
                    params.append(f"{phrase[0]}:*")
                elif len(phrase) == 1:
                    alternatives.append("plainto_tsquery('russian', %s)")
                    params.append(phrase[0])
                else:
                    alternatives.append("phraseto_tsquery('russian', %s)")
                    params.append(" ".join(phrase))
            parts.append("(" + " || ".join(alternatives) + ")")
        return (" && " if match is Match.ALL else " || ").join(parts), params

    def search(self, *, kind, plan, match, limit, offset, title_only=False):
        query_sql, params = self.tsquery(plan, match)
        # Titles carry weight A: ts_filter keeps only those lexemes (the GIN index
        # still narrows the rows by the whole vector first).
        title_filter = "AND ts_filter(vector, '{a}') @@ tsq.query " if title_only else ""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT object_id, ts_rank(vector, tsq.query) AS score "
                f"FROM search_searchdocument, (SELECT {query_sql} AS query) AS tsq "
                f"WHERE kind = %s AND vector @@ tsq.query {title_filter}"
                "ORDER BY score DESC, object_id LIMIT %s OFFSET %s",
                [*params, kind, limit, offset],
            )
            return [(int(object_id), float(score)) for object_id, score in cursor.fetchall()]

    def count(self, *, kind, plan, match, cap=None):
        query_sql, params = self.tsquery(plan, match)
        limit = "LIMIT %s" if cap is not None else ""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM (SELECT 1 FROM search_searchdocument, "
                f"(SELECT {query_sql} AS query) AS tsq "
                f"WHERE kind = %s AND vector @@ tsq.query {limit}) AS matched",
                [*params, kind, *([cap] if cap is not None else [])],
            )
            return cursor.fetchone()[0]

    def scored_sql(self, *, kind, plan, match):
        query_sql, params = self.tsquery(plan, match)
        return (
            "SELECT object_id AS id, ts_rank(vector, q.query) AS score "
            f"FROM search_searchdocument, (SELECT {query_sql} AS query) AS q "
            "WHERE kind = %s AND vector @@ q.query",
            [*params, kind],
        )

    def typo_neighbours(self, *, kind, words):
        words = list(words)
        found = super().typo_neighbours(kind=kind, words=words)
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
