"""Candidates by the meaning of the whole question (sentence vectors), on either database."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.search.actions import search_documents_index, search_index_rebuild
from portal.search.models import SearchDocument
from portal.search.selectors import search_run

KIND = "test"
DOCS = [
    ("Как очистить кэш и файлы cookie в браузере", "Нажмите Ctrl+Shift+Delete."),
    ("Как подать жалобу на работу поддержки", "Через форму обратной связи."),
    ("Запись в детский сад", "Заявление на место в детском саду."),
    ("Как восстановить пароль", "Нажмите «Восстановить» на странице входа."),
    ("Оплата госпошлины", "Картой или через СБП."),
    ("Как связаться со службой поддержки", "Чат, звонок или форма."),
]


@pytest.fixture
def indexed(db):
    from portal.search.backends import IndexedText

    search_index_rebuild(
        kind=KIND,
        documents=[IndexedText(n, title, summary) for n, (title, summary) in enumerate(DOCS, 1)],
    )


def test_each_document_keeps_its_vector_with_the_index(indexed):
    vectors = SearchDocument.objects.filter(kind=KIND).values_list("sentence", flat=True)
    assert len(vectors) == len(DOCS)
    assert all(len(bytes(vector)) == 512 * 2 for vector in vectors)  # float16


def test_a_question_sharing_no_word_with_its_answer_finds_it(indexed, settings):
    # No word of it is in the answer («печеньки» for cookies, «удалить» for «очистить»).
    query = "удалить печеньки"
    found = search_run(kind=KIND, query=query).object_ids
    assert found[0] == 1
    settings.SEARCH_SENTENCES = False
    assert 1 not in search_run(kind=KIND, query=query + " ").object_ids[:1]


def test_the_words_answer_a_question_with_a_title_match_first(indexed):
    assert search_run(kind=KIND, query="восстановить пароль").object_ids[0] == 4
    assert search_run(kind=KIND, query="Запись в детский сад").object_ids[0] == 3


def test_a_question_without_an_answer_is_still_admitted(indexed):
    result = search_run(kind=KIND, query="записаться на маникюр", judge=True)
    # Whatever is near in meaning is offered, never as the answer.
    assert result.low_confidence


def test_stop_words_or_a_number_alone_find_nothing_by_meaning(indexed):
    assert search_run(kind=KIND, query="как").object_ids == []
    assert search_run(kind=KIND, query="45").object_ids == []


def test_a_changed_document_is_found_by_its_new_meaning(indexed):
    from portal.search.backends import IndexedText

    query = "садик для ребёнка"
    assert search_run(kind=KIND, query=query).object_ids[0] == 3
    search_documents_index(
        kind=KIND, documents=[IndexedText(3, "Оплата штрафов ГИБДД", "Штрафы за превышение")]
    )
    assert 3 not in search_run(kind=KIND, query=query).object_ids[:1]
    assert search_run(kind=KIND, query="штраф за скорость").object_ids[0] == 3


def test_the_vectors_are_read_once_per_index_generation(indexed):
    def queries(query: str) -> list[str]:
        with CaptureQueriesContext(connection) as context:
            search_run(kind=KIND, query=query)
        return [q["sql"] for q in context.captured_queries if "sentence" in q["sql"]]

    assert len(queries("нахамил оператор")) == 1
    assert queries("куки почистить") == []  # the same generation: held in memory


def test_with_meaning_off_nothing_is_encoded_or_stored(db, settings):
    from portal.search.backends import IndexedText

    settings.SEARCH_SENTENCES = False
    search_index_rebuild(kind=KIND, documents=[IndexedText(1, DOCS[0][0], DOCS[0][1])])
    assert SearchDocument.objects.get(kind=KIND).sentence is None
    assert search_run(kind=KIND, query="печеньки").object_ids == []


SERVICES = "testservices"
SERVICE_DOCS = [
    ("Оформление загранпаспорта нового образца", "На 10 лет, с чипом."),
    ("Запись к врачу", "В поликлинику по месту прикрепления."),
    ("Вызов врача на дом", "Если болеете и не можете прийти."),
]


@pytest.fixture
def services(indexed):
    from portal.search.backends import IndexedText

    documents = [IndexedText(n, *document) for n, document in enumerate(SERVICE_DOCS, 1)]
    search_index_rebuild(kind=SERVICES, documents=documents)


def test_a_question_is_read_for_its_meaning_while_its_last_word_is_typed(indexed):
    # No word of it is in the answer, and the last one is unfinished: only the
    # question's meaning finds the complaints article in the suggestions.
    assert search_run(kind=KIND, query="нахамил операто", prefix_last=True).object_ids == [2]


def test_a_thing_no_document_names_is_not_answered_by_the_question_s_frame(indexed):
    # «подать жалобу» is the complaints article's title; no document names neighbours,
    # and the article is not close enough in meaning to vouch for it.
    frame = search_run(kind=KIND, query="подать жалобу на соседа", judge=True)
    assert frame.object_ids[0] == 2
    assert frame.low_confidence and frame.related  # offered, not as the answer
    # Meaning vouches where the document is close to the whole question.
    vouched = search_run(kind=KIND, query="записаться в детский сад к логопеду", judge=True)
    assert vouched.object_ids[0] == 3
    assert not vouched.low_confidence


def test_services_close_in_meaning_are_offered_and_lead_when_no_word_matches(services):
    from portal.search.selectors import search_leads

    articles = search_run(kind=KIND, query="загранник", prefix_last=True, judge=True)
    found = search_run(kind=SERVICES, query="загранник", prefix_last=True, judge=True)
    assert found.object_ids[0] == 1
    # Offered beside the articles for its meaning, never as the answer.
    assert found.related and found.low_confidence
    assert search_leads(this=found, other=articles)
    assert not search_leads(this=articles, other=found)


def test_services_do_not_lead_articles_whose_words_answer(services):
    from portal.search.selectors import search_leads

    articles = search_run(kind=KIND, query="восстановить пароль", prefix_last=True, judge=True)
    found = search_run(kind=SERVICES, query="восстановить пароль", prefix_last=True, judge=True)
    assert articles.object_ids[0] == 4 and not articles.low_confidence
    assert not search_leads(this=found, other=articles)
