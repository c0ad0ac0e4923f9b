"""Whatever a citizen (or a robot) types, every search entry point answers, never 500.

Runs on whichever database the run uses: SQLite FTS5 and PostgreSQL tsquery each have
their own syntax that a stray quote, star or operator could break.
"""

import uuid

import pytest

from faq.models import ZeroResultQuery
from portal.search import analysis
from portal.search.selectors import search_match, search_run
from tests.faq.factories import ArticleFactory
from tests.portal.catalogue_factories import ServiceFactory
from tests.support.appeals.factories import TopicFactory

pytestmark = pytest.mark.django_db

HOSTILE = [
    'f"',  # the reported one: a wrong-layout chunk with an odd quote
    'f" abcd',
    '"',
    '""""',
    'pfzdktybt"',
    '{}:"<>~',
    "пароль*",
    "*",
    "^пароль",
    "пароль NEAR заявление",
    "NEAR(пароль заявление, 2)",
    "пароль AND заявление",
    "пароль OR заявление",
    "NOT пароль",
    "- пароль",
    "(пароль",
    "пароль)",
    "title: пароль",
    "kind : faq",
    "пароль:*",
    "пароль & !заявление | <->",
    "a:b c'd",
    "пароль\x00заявление",
    "\x00",
    "🙂 пароль 🙂",
    "🙂",
    "ﬁ ① ²",
    "пароль " * 200,
    "ф" * 5000,
    "'; DROP TABLE faq_article; --",
]


@pytest.fixture
def content():
    article = ArticleFactory(
        title="Как восстановить пароль", short_answer="Нажмите «Восстановить»."
    )
    service = ServiceFactory(title="Замена пароля от кабинета", summary="Новый пароль.")
    return {"article": article, "service": service}


@pytest.mark.parametrize("query", HOSTILE)
def test_engine_plans_only_word_tokens(content, query):
    for kind in ("faq", "service"):
        result = search_run(kind=kind, query=query)
        for group in result.plan.groups:
            for phrase in group.alternatives:
                for word in phrase:
                    assert analysis.WORD_RE.fullmatch(word), (query, word)
        search_run(kind=kind, query=query, prefix_last=True, titles_first=True)
        search_match(kind=kind, query=query).scored_sql()


@pytest.mark.parametrize("query", HOSTILE)
def test_faq_page_and_suggestions_answer_hostile_text(client, content, query):
    assert client.get("/help/faq/", {"q": query}).status_code == 200
    suggest = client.get("/help/faq/suggest/", {"q": query}, HTTP_HX_REQUEST="true")
    assert suggest.status_code == 200


@pytest.mark.parametrize("query", HOSTILE)
def test_catalogue_page_and_apis_answer_hostile_text(client, content, query):
    assert client.get("/services/", {"q": query}).status_code == 200
    assert client.get("/api/v1/services/", {"q": query}).status_code == 200
    assert client.get("/api/v1/faq/articles/", {"search": query}).status_code == 200


@pytest.mark.parametrize("query", HOSTILE)
def test_feedback_suggestions_answer_hostile_text(client, content, query):
    assert client.get("/support/feedback/", {"subject": query[:200]}).status_code == 200
    suggest = client.get(
        "/support/feedback/suggest/",
        {"subject": query, "description": query},
        HTTP_HX_REQUEST="true",
    )
    assert suggest.status_code == 200


@pytest.mark.parametrize("query", ['f" abcd', "NEAR(пароль*", "пароль\x00"])
def test_feedback_form_redisplayed_with_errors_answers_hostile_text(client, content, query):
    data = {
        "token": str(uuid.uuid4()),
        "topic": TopicFactory().pk,
        "subject": query,
        "description": query,
        "email": "not an e-mail",
        "answer_channel": "email",
    }
    response = client.post("/support/feedback/", data)
    # The form answers its own error (400) with the page, suggestions included.
    assert response.status_code == 400
    assert 'id="error-summary' in response.content.decode()


def test_quote_after_a_real_word_still_finds_it(client, content):
    """Punctuation around a word is dropped, the word is still searched."""
    html = client.get("/help/faq/", {"q": 'пароль"'}).content.decode()
    assert "Как восстановить" in html
    html = client.get("/services/", {"q": '"пароль'}).content.decode()
    assert "Замена" in html


def test_hostile_text_that_finds_nothing_is_recorded_printable(client, content):
    client.get("/help/faq/", {"q": 'f" zzqx\x00'})
    recorded = ZeroResultQuery.objects.get()
    assert "\x00" not in recorded.example
