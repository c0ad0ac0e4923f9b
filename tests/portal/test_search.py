"""The search engine on whichever database the run uses (SQLite FTS5 or PostgreSQL)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.search import analysis, memo
from portal.search.actions import (
    search_documents_index,
    search_documents_remove,
    search_index_rebuild,
)
from portal.search.backends import IndexedText, PostgresBackend, SQLiteBackend, get_backend
from portal.search.selectors import SearchHit, search_ids, search_run

KIND = "test"
DOCS = [
    IndexedText(1, "Как подать заявление", "Заявление подаётся онлайн", "Подробная инструкция"),
    IndexedText(2, "Восстановление пароля", "Если забыли пароль", "Нажмите «Восстановить»"),
    IndexedText(3, "Регистрация на портале", "Регистрация занимает пять минут", ""),
    IndexedText(4, "Статус заявлений", "Где смотреть", "В разделе «Мои заявки» видно заявления"),
    IndexedText(5, "Вход в личный кабинет", "Войти можно по паролю", "Или через Госключ"),
    IndexedText(6, "Оплата госпошлины", "Скидка при оплате онлайн", "Упоминается пароль"),
]


@pytest.fixture
def indexed(db):
    search_index_rebuild(kind=KIND, documents=DOCS)


def ids(query: str, **kwargs) -> list[int]:
    return search_run(kind=KIND, query=query, **kwargs).object_ids


@pytest.mark.parametrize("query", ["заявление", "заявления", "заявлений", "ЗАЯВЛЕНИЕМ"])
def test_russian_word_forms_find_the_same_documents(indexed, query):
    assert set(ids(query)) >= {1, 4}


def test_title_match_ranks_above_body_match(indexed):
    found = ids("пароль")
    assert found[0] == 2
    assert found.index(2) < found.index(6)


def test_one_typo_is_forgiven_in_long_words_and_reported(indexed):
    result = search_run(kind=KIND, query="регистрацыя")
    assert result.object_ids == [3]
    assert result.corrected_query is not None


def test_typos_are_not_forgiven_in_short_words(indexed):
    # "вхот" is four letters: too many neighbours to guess safely.
    assert ids("вхот") == []


def test_wrong_keyboard_layout_is_understood(indexed):
    result = search_run(kind=KIND, query="gfhjkm")  # "пароль" typed on QWERTY
    assert result.object_ids[0] == 2
    assert result.corrected_query == "пароль"


def test_layout_word_with_punctuation_keys_is_kept_whole():
    tokens, layouts = analysis.parse("pfzdktybt")  # "заявление"
    assert layouts == ["заявление"]
    tokens, layouts = analysis.parse("kjuby;")  # "логинж": ';' is a letter key
    assert tokens == ["kjuby"] and layouts == ["логинж"]


def test_synonyms_expand_the_query(indexed):
    synonyms = [[("госключ",), ("есиа",), ("учетная", "запись", "госуслуг")]]
    assert ids("ЕСИА", synonyms=synonyms) == [5]
    assert ids("учётная запись госуслуг", synonyms=synonyms) == [5]
    assert ids("есиа") == []


def test_prefix_of_the_last_word_matches_while_typing(indexed):
    assert 3 in ids("регис", prefix_last=True)


def test_unfinished_word_matches_on_the_results_page_below_whole_words(db):
    # Changed: the page used to find nothing for an unfinished word ("загран" -> 0).
    search_index_rebuild(
        kind=KIND,
        documents=[
            IndexedText(1, "Оформление загранпаспорта", "Заграничный паспорт нового образца"),
            IndexedText(2, "Загран", "Короткое слово целиком"),
            IndexedText(3, "Замена паспорта", "Внутренний паспорт"),
        ],
    )
    assert ids("загран") == [2, 1]


def test_partial_match_when_no_document_has_every_word(indexed):
    result = search_run(kind=KIND, query="пароль квазар")
    assert result.partial
    assert result.object_ids[0] == 2
    assert search_run(kind=KIND, query="пароль квазар", allow_partial=False).total == 0


def test_stop_words_are_ignored_the_same_way_on_both_backends(indexed):
    assert ids("как") == []  # neither backend indexes stop words
    assert ids("как подать") == [1]


@pytest.mark.parametrize(
    "query",
    [
        "x" * 10_000,
        "!!! ??? ... ,,,",
        '"',
        "*",
        "NEAR(",
        "пароль OR",
        "OR AND NOT",
        "--",
        "'",
        "'; DROP TABLE search_fts; --",
        "пароль\x00заявление",
        "пароль:* & !заявление | (",
        "регистрация 🙂 registration ßtraße",
        "\u202eлоьрап",
        "   ",
        "",
    ],
)
def test_hostile_input_never_raises(indexed, query):
    result = search_run(kind=KIND, query=query)
    assert result.total >= 0
    search_run(kind=KIND, query=query, prefix_last=True)


def test_removed_documents_are_not_found(indexed):
    search_documents_remove(kind=KIND, object_ids=[2])
    assert 2 not in ids("пароль")


def test_reindexing_replaces_the_text(indexed):
    search_documents_index(kind=KIND, documents=[IndexedText(2, "Смена телефона", "", "")])
    assert 2 not in ids("пароль")
    assert ids("телефон") == [2]


def test_kinds_do_not_mix(indexed):
    search_documents_index(kind="other", documents=[IndexedText(99, "Пароль", "", "")])
    assert 99 not in ids("пароль")
    assert search_ids(kind="other", query="пароль") == [99]


def test_search_runs_a_constant_number_of_queries(indexed, django_assert_max_num_queries):
    # Known stems, typo candidates (+ trigrams on PostgreSQL), all words, any word; the
    # kind's sentence vectors, read once per index generation.
    with django_assert_max_num_queries(6):
        search_run(kind=KIND, query="регистрацыя заявлений пароль")


def test_match_expressions_contain_only_stems_and_operators():
    group = analysis.Group(
        alternatives=[("near",), ("пароль", "госуслуг"), ("есиа",)], typed="x", prefixes=["near"]
    )
    plan = analysis.QueryPlan(groups=[group], prefix_last=True)
    strong, weak = SQLiteBackend.group_expressions(plan, group, last=True)
    # An over-stemmed word ("есиа" -> "ес") by its exact form, its stub only weakly.
    assert strong == '"near" OR "парол госуслуг" OR "есиа" OR "near"*'
    assert weak == '"ес"'
    with pytest.raises(ValueError):
        SQLiteBackend.kind_expression('faq" OR "x')
    (sql, params), _weak = PostgresBackend.group_queries(plan, group, last=True)
    assert "%s" in sql and "near:*" in params


def test_highlight_escapes_html_and_marks_word_forms():
    html = analysis.highlight(
        "<b>Заявления</b> и заявлений", frozenset({analysis.stem("заявление")})
    )
    assert "&lt;b&gt;" in html
    assert html.count("<mark>") == 2


def test_counting_stops_at_the_cap(db):
    search_index_rebuild(
        kind=KIND, documents=[IndexedText(n, f"Заявление {n}", "", "") for n in range(1, 31)]
    )
    result = search_run(kind=KIND, query="заявление", limit=5, count_cap=11)
    assert result.capped and result.total == 10
    exact = search_run(kind=KIND, query="заявление", limit=5, count_cap=31)
    assert not exact.capped and exact.total == 30


def test_titles_first_looks_in_titles_then_everywhere(indexed):
    # Changed: text matches follow the title matches instead of being left out.
    found = search_run(kind=KIND, query="парол", prefix_last=True, titles_first=True).object_ids
    assert found[0] == 2
    # "госключ" is only in a body: found there when no title has it.
    assert search_run(kind=KIND, query="госключ", titles_first=True).object_ids == [5]


# Enough documents holding every word for the shortcut that ranks only those: words
# spread so that titles, summaries and bodies hold them in different mixes.
WORDS = ["заявление", "статус", "пароль", "оплата", "регистрация", "справка"]


def _mixed_documents(count: int) -> list[IndexedText]:
    docs = []
    for n in range(count):
        title = " ".join(WORDS[(n * k) % len(WORDS)] for k in (1, 2) if (n + k) % 3)
        summary = " ".join(WORDS[(n + k) % len(WORDS)] for k in range(n % 4 + 1))
        body = " ".join(WORDS) + f" текст {n}"
        docs.append(IndexedText(100 + n, title.capitalize() or "Раздел", summary, body))
    return docs


def _shortcut_and_every_match_scored(monkeypatch, query: str, kwargs: dict):
    """Whether the shortcut was taken, its result, and the result of scoring every match."""
    search_index_rebuild(kind=KIND, documents=_mixed_documents(600))
    taken = []
    backend = type(get_backend())
    # The shortcut of each backend: its candidates (SQLite), the page itself (PostgreSQL).
    name = "_complete_candidates" if backend is SQLiteBackend else "_complete_page"
    complete = getattr(backend, name)

    def spy(self, *args):
        taken.append(complete(self, *args) is not None)
        return complete(self, *args)

    monkeypatch.setattr(backend, name, spy)
    shortcut = search_run(kind=KIND, query=query, **kwargs)
    monkeypatch.setattr(backend, "_complete_outranks", staticmethod(lambda groups: False))
    return list(taken), shortcut, search_run(kind=KIND, query=query, **kwargs)


@pytest.mark.parametrize(
    ("query", "kwargs"),
    [
        ("заявление", {"count_cap": 501}),
        ("статус заявления", {"count_cap": 501, "offset": 10}),
        ("оплата регистрация пароль", {"count_cap": 9, "limit": 8}),
        ("статус з", {"count_cap": 9, "limit": 8, "prefix_last": True}),
        ("справка пароль оплата статус", {"count_cap": 30}),
    ],
)
def test_ranking_only_complete_matches_gives_the_same_page(db, monkeypatch, query, kwargs):
    taken, shortcut, every_match_scored = _shortcut_and_every_match_scored(
        monkeypatch, query, kwargs
    )
    assert taken == [True]
    assert shortcut.hits == every_match_scored.hits
    assert shortcut.total == every_match_scored.total
    assert len(shortcut.hits) == kwargs.get("limit", 20)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's stop list")
def test_stop_words_postgresql_drops_leave_the_shortcut_to_the_other_words(db, monkeypatch):
    # "как" is not in PostgreSQL's index at all: "как с" while typing is ranked by "с"*.
    kwargs = {"count_cap": 9, "limit": 8, "prefix_last": True}
    taken, shortcut, every_match_scored = _shortcut_and_every_match_scored(
        monkeypatch, "как с", kwargs
    )
    assert taken == [True]
    assert shortcut.hits == every_match_scored.hits
    assert shortcut.total == every_match_scored.total == 8


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statements")
def test_postgresql_reads_a_busy_page_level_by_level_under_limits(db):
    search_index_rebuild(kind=KIND, documents=_mixed_documents(600))
    with CaptureQueriesContext(connection) as context:
        result = search_run(kind=KIND, query="статус заявления", limit=10, count_cap=501)
    assert result.capped and len(result.hits) == 10
    statements = [query["sql"] for query in context.captured_queries]
    # No statement scores every match; the page is one statement of three levels
    # (both words in the title, one, none) under a LIMIT each, and one outside.
    assert not any("OVER ()" in sql for sql in statements)
    (page,) = [sql for sql in statements if "UNION ALL" in sql]
    assert page.count("LIMIT") == 4
    # The title levels ask the small indexed title vector, kept equal to the title's part.
    assert "title_vector @@" in page and "ts_filter" not in page
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FILTER (WHERE title_vector <> ts_filter(vector, '{a}')), "
            "count(*) FILTER (WHERE title_vector = '') FROM search_searchdocument"
        )
        assert cursor.fetchone() == (0, 0)


def test_five_words_are_ranked_by_scoring_every_match():
    # With five groups a document missing one word but holding four in its title can
    # outscore one holding all five in its body: the shortcut must not be taken.
    assert SQLiteBackend._complete_outranks(4)
    assert not SQLiteBackend._complete_outranks(5)


def test_a_busy_search_runs_a_constant_number_of_queries(db, django_assert_max_num_queries):
    search_index_rebuild(kind=KIND, documents=_mixed_documents(600))
    # Known stems, how many hold every word, their best candidates, bm25 of those,
    # the documents and word frequencies in one statement; the sentence vectors.
    with django_assert_max_num_queries(6):
        result = search_run(kind=KIND, query="статус заявления", count_cap=501, judge=True)
    assert result.total == 500 and result.capped


def _queries(**kwargs):
    with CaptureQueriesContext(connection) as context:
        result = search_run(kind=KIND, **kwargs)
    return result, len(context.captured_queries)


def test_words_are_remembered_until_the_index_changes(indexed, settings):
    settings.SEARCH_RESULT_MEMO = False  # the words alone, every query ranked again
    first, cold = _queries(query="регистрацыя", count_cap=501, judge=True)
    # The same words again: known stems, typo neighbours and word counts are not asked
    # again, only the ranking is.
    again, warm = _queries(query="регистрацыя", count_cap=501, judge=True)
    assert warm <= cold - 3
    assert again.hits == first.hits == [SearchHit(3, first.hits[0].score, 1.1)]
    assert again.corrected_query == "регистрация"
    # A new article with the word as typed: it is now a word of the content, not a typo.
    search_documents_index(
        kind=KIND, documents=[IndexedText(7, "Регистрацыя", "Так пишут с опечаткой", "")]
    )
    after = search_run(kind=KIND, query="регистрацыя", count_cap=501, judge=True)
    assert after.corrected_query is None
    assert after.object_ids[0] == 7


def test_a_repeated_query_is_answered_from_memory(indexed):
    first, cold = _queries(query="заявление", count_cap=501, judge=True)
    again, warm = _queries(query="заявление", count_cap=501, judge=True)
    assert cold > 0 and warm == 0
    assert again.hits == first.hits and again.total == first.total


@pytest.mark.parametrize(
    "other",
    [
        {"query": "заявления"},
        {"limit": 1},
        {"offset": 1},
        {"prefix_last": True},
        {"allow_partial": False},
        {"count_cap": 2},
        {"judge": False},
        {"synonyms": [[("заявление",), ("обращение",)]]},
    ],
)
def test_a_query_with_other_options_is_computed_again(indexed, settings, other):
    asked = {"query": "заявление", "count_cap": 501, "judge": True}
    _queries(**asked)
    result, count = _queries(**{**asked, **other})
    assert count > 0
    # And answers for those options, not for the remembered ones.
    settings.SEARCH_RESULT_MEMO = False
    assert result == search_run(kind=KIND, **{**asked, **other})


def test_a_remembered_result_is_forgotten_when_the_index_changes(indexed):
    before = ids("госпошлина")
    search_documents_index(
        kind=KIND, documents=[IndexedText(8, "Госпошлина со скидкой", "Как оплатить", "")]
    )
    assert sorted(ids("госпошлина")) == sorted([8, *before])
    search_documents_remove(kind=KIND, object_ids=[8])
    assert ids("госпошлина") == before


def test_results_are_not_remembered_when_switched_off(indexed, settings):
    settings.SEARCH_RESULT_MEMO = False
    _queries(query="заявление")
    _, count = _queries(query="заявление")
    assert count > 0


def test_the_oldest_results_are_forgotten_first(indexed, monkeypatch):
    monkeypatch.setattr(memo, "MAX_RESULTS", 2)
    for query in ("заявление", "пароль", "госпошлина"):
        _queries(query=query)
    assert _queries(query="госпошлина")[1] == 0
    assert _queries(query="пароль")[1] == 0
    assert _queries(query="заявление")[1] > 0  # the oldest, gone


def test_a_removed_word_is_forgotten(indexed):
    assert search_run(kind=KIND, query="госпошлина").object_ids == [6]
    search_documents_remove(kind=KIND, object_ids=[6])
    result = search_run(kind=KIND, query="госпошлина", judge=True)
    # Nothing holds the word now: what is listed is only near in meaning, and not vouched.
    assert 6 not in result.object_ids and result.low_confidence


def test_remembered_words_of_one_kind_are_not_another_kinds(indexed):
    assert search_run(kind=KIND, query="регистрацыя").corrected_query == "регистрация"
    search_index_rebuild(kind="other", documents=[IndexedText(1, "Справка", "", "")])
    assert search_run(kind="other", query="регистрацыя").corrected_query is None


def test_transliterated_words_are_read_as_russian(indexed):
    result = search_run(kind=KIND, query="vosstanovlenie parolya")
    assert result.object_ids[0] == 2
    assert result.corrected_query == "восстановление пароля"
    assert result.plan.layout_only  # read, not guessed: the results are shown as such


def test_transliteration_drops_russian_stop_words_and_tries_other_readings(indexed):
    # "ne" is «не», dropped like any stop word; "gosposhliny" reads as «госпошлины».
    assert ids("oplata gosposhliny ne") == [6]
    assert analysis.transliterations("elektronnaya")[:2] == ["електронная", "электронная"]
    assert "детский" in analysis.transliterations("detskiy")


def test_an_english_word_the_index_holds_is_not_transliterated(db):
    search_index_rebuild(kind=KIND, documents=[IndexedText(1, "Включите JavaScript", "", "")])
    result = search_run(kind=KIND, query="javascript")
    assert result.object_ids == [1] and result.corrected_query is None


def test_words_run_together_are_split_by_the_index_vocabulary(indexed):
    result = search_run(kind=KIND, query="статусзаявлений")
    assert result.object_ids[0] == 4
    assert result.corrected_query == "статус заявлений"
    assert ids("податьзаявление")[0] == 1
    # While typing too, when every piece is a whole word the index holds.
    assert ids("статусзаявлений", prefix_last=True)[0] == 4


def test_a_word_with_a_known_prefix_is_not_split(db):
    search_index_rebuild(
        kind=KIND,
        documents=[IndexedText(1, "Само собой", "", ""), IndexedText(2, "Занятым", "", "")],
    )
    result = search_run(kind=KIND, query="самозанятым")
    assert result.corrected_query is None


def test_a_correction_prefers_a_dictionary_word_whose_stem_the_index_holds(db):
    search_index_rebuild(
        kind=KIND, documents=[IndexedText(1, "Запись к врачу", "Запись на приём", "записью")]
    )
    result = search_run(kind=KIND, query="записатся")
    assert result.object_ids == [1]
    assert result.corrected_query == "записаться"


def test_a_stub_stem_is_never_a_correction(db):
    search_index_rebuild(kind=KIND, documents=[IndexedText(1, "С краев", "", "")])
    assert search_run(kind=KIND, query="крашится").corrected_query is None


def test_a_word_the_index_does_not_hold_finds_words_near_in_meaning(db):
    search_index_rebuild(
        kind=KIND,
        documents=[
            IndexedText(1, "Штрафы ГИБДД", "Проверка и оплата", ""),
            IndexedText(2, "Справка о несудимости", "", ""),
        ],
    )
    result = search_run(kind=KIND, query="гаи", judge=True)
    assert result.object_ids == [1]
    # Found by meaning, it is offered, but not vouched for as the answer.
    assert result.low_confidence
    assert result.plan.groups[0].by_meaning


def test_a_word_sharing_a_long_root_with_an_indexed_word_finds_it(db):
    search_index_rebuild(
        kind=KIND, documents=[IndexedText(1, "Профилактические работы", "", ""), *DOCS[1:3]]
    )
    assert ids("профилактика") == [1]


def test_the_site_name_weighs_next_to_nothing_beside_other_words(db, settings):
    documents = [
        IndexedText(1, "Приложение Госуслуги", "Как установить", ""),
        IndexedText(2, "Документы в профиле", "Паспорт и СНИЛС", ""),
    ]
    search_index_rebuild(kind=KIND, documents=documents)
    result = search_run(kind=KIND, query="документы госуслуг")
    assert result.object_ids == [2]
    assert [group.everyday for group in result.plan.groups] == [False, True]
    # Alone it is the query: the site's name is searched as any word.
    assert ids("госуслуги") == [1]
    settings.SEARCH_SITE_WORDS = []
    search_index_rebuild(kind=KIND, documents=documents)  # a new generation: no memo
    assert set(ids("документы госуслуг")) == {1, 2}


def test_a_query_whose_rarer_word_matches_nothing_is_not_answered(db):
    topics = ["Оплата штрафов", "Справка о доходах", "Полис ОМС", "Пенсия", "Паспорт", "ИНН"]
    documents = [
        IndexedText(1, "Запись к врачу", "", ""),
        IndexedText(2, "Запись в детский сад", "", ""),
        *(IndexedText(3 + n, title, "", "") for n, title in enumerate(topics)),
    ]
    search_index_rebuild(kind=KIND, documents=documents)
    # «запись» is found, «нотариус» (the point, and rarer) is not: under half the weight.
    result = search_run(kind=KIND, query="запись нотариус", judge=True)
    assert set(result.object_ids) == {1, 2}
    assert result.low_confidence and 0 < result.confidence < 0.5
    # Still related enough to be offered beside another kind's results.
    assert result.related
    assert not search_run(kind=KIND, query="запись к врачу", judge=True).low_confidence


def test_a_whole_last_word_is_ranked_while_typing_as_on_the_results_page(db):
    search_index_rebuild(
        kind=KIND,
        documents=[
            IndexedText(1, "Пенсионный калькулятор", "", ""),
            IndexedText(2, "Назначение пенсии", "", ""),
        ],
    )
    # «пенсию» is a whole word: the document holding it comes before one holding only
    # a longer word it begins, in the suggestions as on the results page.
    typed = search_run(kind=KIND, query="пенсию", prefix_last=True)
    assert typed.object_ids == ids("пенсию") == [2, 1]
    assert [hit.matched for hit in typed.hits] == [1.1, 0.66]
    # An unfinished word still matches every word it begins, as strongly.
    typing = search_run(kind=KIND, query="пенси", prefix_last=True)
    assert set(typing.object_ids) == {1, 2}
    assert {hit.matched for hit in typing.hits} == {1.1}


def test_a_word_that_begins_indexed_words_is_still_being_typed(db):
    search_index_rebuild(kind=KIND, documents=[IndexedText(1, "Регистрация брака", "", "")])
    # «регистр» is a word, but the index holds only longer ones it begins: still typing.
    typing = search_run(kind=KIND, query="регистр", prefix_last=True)
    assert [hit.matched for hit in typing.hits] == [1.1]
    assert not typing.plan.groups[0].by_meaning
    # On the results page it is a whole word: «регистрация» matches it only weakly.
    assert [hit.matched for hit in search_run(kind=KIND, query="регистр").hits] == [0.66]


def test_a_whole_last_word_the_index_does_not_hold_is_read_for_its_meaning(db):
    search_index_rebuild(kind=KIND, documents=[IndexedText(1, "Запись в детский сад", "", "")])
    plan = search_run(kind=KIND, query="садик", prefix_last=True).plan
    assert plan.groups[0].by_meaning
    # A short last word is still being typed: no meaning is read into it.
    assert not search_run(kind=KIND, query="сад", prefix_last=True).plan.groups[0].by_meaning


def test_a_number_no_document_holds_does_not_judge_the_answer(db):
    topics = ["Оплата штрафов", "Справка о доходах", "Полис ОМС", "Пенсия", "ИНН", "Ошибка 502"]
    documents = [
        IndexedText(1, "Замена паспорта", "", ""),
        *(IndexedText(2 + n, title, "", "") for n, title in enumerate(topics)),
    ]
    search_index_rebuild(kind=KIND, documents=documents)
    # «45» is the citizen's age, which no article states: the passport is the point.
    result = search_run(kind=KIND, query="паспорт 45", judge=True)
    assert result.object_ids == [1]
    assert result.confidence == 1.0 and not result.low_confidence
    # A word no document holds still weighs against the answer («нотариус»): half.
    assert search_run(kind=KIND, query="паспорт нотариус", judge=True).confidence == 0.5
    # A number the content holds is a word of the question like any other.
    held = search_run(kind=KIND, query="паспорт 502", judge=True)
    assert set(held.object_ids) == {1, 7} and held.low_confidence is False
    assert held.confidence == pytest.approx(0.5)
    # Alone, a number nothing holds finds nothing: the page says so.
    assert not search_run(kind=KIND, query="45", judge=True).hits
