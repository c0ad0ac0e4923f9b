"""portal.search: matching inside the caller's SQL (the catalogue's path), both backends."""

import pytest
from django.db import connection

from portal.search.actions import search_documents_index, search_index_rebuild
from portal.search.backends import IndexedText
from portal.search.selectors import search_match, search_run

pytestmark = pytest.mark.django_db


def scored(match) -> dict[int, float]:
    sql, params = match.scored_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {object_id: score for object_id, score in cursor.fetchall()}


@pytest.fixture
def documents():
    search_documents_index(
        kind="thing",
        documents=[
            IndexedText(object_id=1, title="Справка о несудимости", summary="Для работы."),
            IndexedText(object_id=2, title="Замена паспорта", body="Нужна справка из ЗАГСа."),
            IndexedText(object_id=3, title="Оплата штрафов"),
        ],
    )
    # The same words under another kind must never leak into this kind's matches.
    search_documents_index(
        kind="other", documents=[IndexedText(object_id=1, title="Справка о доходах")]
    )


def test_scored_matches_of_the_kind_with_title_above_body(documents):
    match = search_match(kind="thing", query="справку")
    scores = scored(match)
    assert set(scores) == {1, 2}
    assert scores[1] > scores[2]
    assert not match.partial


def test_ranked_by_how_many_words_match(documents):
    # Changed: no "all words, else any word" switch; a document with more of the
    # words ranks higher, and with none holding both, each holding one is kept.
    match = search_match(kind="thing", query="справка штрафов")
    assert set(scored(match)) == {1, 2, 3}
    assert set(scored(search_match(kind="thing", query="справка несудимости"))) == {1}


def test_typos_and_layout_reach_the_sql_too(documents):
    match = search_match(kind="thing", query="pfvtyf gfcgjhnf")  # "замена паспорта"
    assert set(scored(match)) == {2}
    assert match.corrected_query == "замена паспорта"


def test_punctuation_only_is_an_empty_match(documents):
    assert search_match(kind="thing", query="!!! ???").is_empty


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS table is SQLite's")
def test_rebuilding_a_kind_drops_index_rows_left_by_a_flushed_registry(documents):
    # A transactional test flush empties the registry but not the FTS table.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO search_fts (rowid, kind, object_id, title, summary, body) "
            "VALUES (999999, 'thing', 77, 'справк', '', '')"
        )
    # Hits are mapped to objects through the registry, so an orphan is never found...
    assert 77 not in search_run(kind="thing", query="справка").object_ids
    search_index_rebuild(kind="thing", documents=[IndexedText(object_id=5, title="Справка")])
    assert search_run(kind="thing", query="справка").object_ids == [5]
    # ...and rebuilding the kind removes it from the index.
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_fts WHERE rowid = 999999")
        assert cursor.fetchone()[0] == 0
    assert search_run(kind="other", query="справка").object_ids == [1]
