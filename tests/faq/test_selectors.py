"""FAQ selectors that look up one thing return it or None; the views answer 404."""

import pytest

from faq.models import Status
from faq.selectors import faq_article_get, faq_category_articles, faq_category_get
from tests.faq.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def content():
    topic = CategoryFactory(slug="topic", title="Тема")
    live = ArticleFactory(category=topic, slug="live", title="Опубликованная", order=2)
    first = ArticleFactory(category=topic, slug="first", title="Первая", order=1)
    draft = ArticleFactory(category=topic, slug="draft", title="Черновик", status=Status.DRAFT)
    hidden = CategoryFactory(slug="hidden", title="Скрытая", is_visible=False)
    ArticleFactory(category=hidden, slug="inside", title="В скрытой теме")
    only_drafts = CategoryFactory(slug="drafts", title="Одни черновики")
    ArticleFactory(category=only_drafts, slug="d", title="Черновик", status=Status.DRAFT)
    return {"topic": topic, "live": live, "first": first, "draft": draft}


def test_a_visible_category_with_published_articles_is_found(content):
    assert faq_category_get(slug="topic") == content["topic"]
    articles = faq_category_articles(category=content["topic"])
    assert articles == [content["first"], content["live"]]


@pytest.mark.parametrize("slug", ["nothing", "hidden", "drafts", ""])
def test_a_missing_hidden_or_empty_category_is_none(content, slug):
    assert faq_category_get(slug=slug) is None


def test_a_published_article_is_found_and_a_draft_only_in_preview(content):
    assert faq_article_get(category_slug="topic", article_slug="live") == content["live"]
    assert faq_article_get(category_slug="topic", article_slug="draft") is None
    assert (
        faq_article_get(category_slug="topic", article_slug="draft", preview=True)
        == content["draft"]
    )


@pytest.mark.parametrize(("category", "article"), [("topic", "nothing"), ("hidden", "live")])
def test_an_unknown_article_or_one_under_another_category_is_none(content, category, article):
    assert faq_article_get(category_slug=category, article_slug=article) is None


@pytest.mark.parametrize(
    "url", ["/help/faq/hidden/", "/help/faq/drafts/", "/help/faq/topic/draft/"]
)
def test_the_views_answer_404_for_what_the_selectors_did_not_find(client, content, url):
    assert client.get(url).status_code == 404
