"""The OpenAPI schema tells the truth about the API (schemathesis checks it live in CI:
`make api-check`); these pin the corrections it needed."""

import pytest

from support.appeals.models import Appeal
from tests.support.appeals.factories import appeal_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client) -> dict:
    return client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


def responses(schema: dict, path: str, method: str) -> dict:
    return schema["paths"][path][method]["responses"]


def test_article_url_is_a_path_not_a_uri(schema, client):
    url = schema["components"]["schemas"]["Article"]["properties"]["url"]
    assert url["type"] == "string" and "format" not in url


def test_service_search_is_documented_as_one_object(schema):
    body = responses(schema, "/api/v1/services/", "get")["200"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/ServiceSearch"}


def test_service_filters_are_strings_since_bad_values_are_ignored(schema, client):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/services/"]["get"]["parameters"]}
    for name in ("type", "sort", "online", "page"):
        assert parameters[name]["schema"] == {"type": "string"}
        assert "ignored" in parameters[name]["description"]
    answer = client.get("/api/v1/services/", {"type": "AAA", "page": "x"})
    assert answer.status_code == 200 and len(answer.json()["notices"]) == 2


def test_appeal_service_is_nullable(schema, client, citizen):
    for name in ("Appeal", "AppealDetail"):
        assert schema["components"]["schemas"][name]["properties"]["service"]["nullable"] is True
    appeal_make(author=citizen)
    client.force_login(citizen)
    assert client.get("/api/v1/appeals/").json()["results"][0]["service"] is None
    assert Appeal.objects.get().service is None


def test_errors_are_documented(schema):
    listing = responses(schema, "/api/v1/appeals/", "get")
    assert {"200", "401", "404", "429"} <= set(listing)
    assert "403" not in listing  # a signed-in citizen reads their own; anonymous is 401
    create = responses(schema, "/api/v1/appeals/", "post")
    assert {"201", "400", "401", "403", "415", "429"} <= set(create)
    for path in ("/api/v1/applications/", "/api/v1/notifications/"):
        assert "401" in responses(schema, path, "get")
    assert {"200", "404"} <= set(responses(schema, "/api/v1/appeals/{number}/", "get"))
    assert {"200", "404"} <= set(responses(schema, "/api/v1/faq/articles/{id}/", "get"))
    assert {"200", "404"} <= set(responses(schema, "/api/v1/faq/articles/", "get"))
    assert {"200", "404"} <= set(responses(schema, "/api/v1/services/{code}/", "get"))
    # Open to all and read-only: no 401 or 403 to promise.
    assert not {"401", "403"} & set(responses(schema, "/api/v1/services/", "get"))


@pytest.mark.parametrize("page", ["", "last", "0", "abc", "999"])
def test_a_page_that_is_not_a_page_number_is_404(client, page):
    response = client.get("/api/v1/faq/articles/", {"page": page})
    assert response.status_code == 404
    assert "detail" in response.json()


def test_page_one_is_served(client):
    assert client.get("/api/v1/faq/articles/", {"page": "1"}).status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/services/%C2%84/", "/api/v1/nothing-here/"])
def test_unrouted_api_addresses_answer_json_404(client, settings, path):
    settings.DEBUG = False
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Не найдено."}


def test_unrouted_site_addresses_keep_the_html_404_page(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()


def test_json_404_in_english(client, settings):
    settings.DEBUG = False
    response = client.get("/api/v1/nothing-here/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json() == {"detail": "Not found."}
