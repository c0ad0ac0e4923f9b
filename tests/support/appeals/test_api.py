"""The API: the citizen's own appeals; create goes through the same action as the form."""

import uuid

import pytest
from django.core.management import call_command

from support.appeals.models import Appeal
from tests.support.appeals.factories import EXE, PDF, PNG, TopicFactory, appeal_make, upload

pytestmark = pytest.mark.django_db
URL = "/api/v1/appeals/"


@pytest.fixture
def topic():
    return TopicFactory(slug="account")


def test_anonymous_is_refused_with_401(client):
    assert client.get(URL).status_code == 401
    response = client.post(URL, {"subject": "x"})
    assert response.status_code == 401 and response.has_header("WWW-Authenticate")


def test_list_shows_only_own(client, citizen, other_citizen):
    mine = appeal_make(author=citizen)
    appeal_make(author=other_citizen)
    client.force_login(citizen)
    data = client.get(URL).json()
    assert [item["number"] for item in data["results"]] == [mine.number]


def _create(client, **fields):
    """The signed-in citizen posts an appeal as a multipart form; `fields` change the form."""
    data = {"topic": "account", "subject": "s", "description": "d", "consent": "true"}
    return client.post(URL, data | fields)


def test_create_multipart_with_files(client, citizen, topic):
    client.force_login(citizen)
    response = _create(
        client,
        subject="Не приходит СМС",
        description="Описание",
        phone="8 916 123 45 67",
        files=[upload("a.pdf", PDF), upload("b.png", PNG)],
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert len(body["number"]) == 8
    assert {a["original_name"] for a in body["attachments"]} == {"a.pdf", "b.png"}
    appeal = Appeal.objects.get(number=body["number"])
    assert appeal.author == citizen and appeal.email == citizen.email
    assert appeal.phone == "+79161234567"
    assert client.get(URL + body["number"] + "/").json()["history"][0]["kind"] == "register"


def test_create_refuses_bad_files_and_missing_consent(client, citizen, topic):
    client.force_login(citizen)
    response = _create(client, consent="false", files=[upload("x.pdf", EXE)])
    assert response.status_code == 400
    assert "files" in response.json()
    response = _create(client, consent="false")
    assert response.status_code == 400 and "consent" in response.json()
    assert Appeal.objects.count() == 0


def test_create_is_idempotent_with_a_key(client, citizen, topic):
    client.force_login(citizen)
    data = {"topic": "account", "subject": "s", "description": "d", "consent": True}
    key = str(uuid.uuid4())
    first = client.post(URL, data, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)
    second = client.post(URL, data, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)
    assert first.json()["number"] == second.json()["number"]
    assert Appeal.objects.count() == 1


def test_other_citizens_detail_is_404(client, citizen, other_citizen):
    appeal = appeal_make(author=other_citizen)
    client.force_login(citizen)
    assert client.get(URL + appeal.number + "/").status_code == 404


def test_schema_is_valid():
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


def test_signed_in_without_a_csrf_token_is_403_not_401(citizen, topic):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    response = client.post(URL, {"topic": topic.slug, "subject": "Тема"})
    assert response.status_code == 403
    assert not response.has_header("WWW-Authenticate")
    assert client.get(URL).status_code == 200
