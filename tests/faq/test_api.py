import pytest

from faq.models import Status
from tests.faq.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_api_lists_published_articles_ranked_by_search(client):
    ArticleFactory(title="Оплата пошлины", short_answer="Пароль не нужен.")
    ArticleFactory(title="Как восстановить пароль")
    ArticleFactory(title="Черновик про пароль", status=Status.DRAFT)
    response = client.get("/api/v1/faq/articles/", {"search": "пароля"})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    assert [item["title"] for item in data["results"]] == [
        "Как восстановить пароль",
        "Оплата пошлины",
    ]
    assert data["results"][0]["url"].startswith("/help/faq/")


def test_api_is_paginated_and_read_only(client):
    for n in range(25):
        ArticleFactory(title=f"Статья {n}")
    data = client.get("/api/v1/faq/articles/").json()
    assert data["count"] == 25 and len(data["results"]) == 20 and data["next"]
    assert client.post("/api/v1/faq/articles/", {}).status_code == 405


def test_api_detail_hides_drafts(client):
    draft = ArticleFactory(status=Status.DRAFT)
    assert client.get(f"/api/v1/faq/articles/{draft.pk}/").status_code == 404


@pytest.mark.parametrize("query", ['"', "NEAR(", "\x00", "x" * 5000])
def test_api_survives_hostile_search(client, query):
    assert client.get("/api/v1/faq/articles/", {"search": query}).status_code == 200


def test_schema_and_offline_docs(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/faq/articles/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "cdn" not in docs.lower()
    assert "/static/drf_spectacular_sidecar/" in docs
