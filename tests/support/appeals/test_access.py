"""The permission matrix: someone else's appeal, file or API object is a 404."""

import re
import uuid

import pytest
from django.test import Client

from support.appeals.views import LOOKUP_FAILED
from tests.support.appeals.factories import (
    EXE,
    PDF,
    TopicFactory,
    appeal_make,
    operator_make,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def appeal(citizen):
    return appeal_make(author=citizen, files=[("scan.pdf", PDF)])


def _paths(appeal) -> list[str]:
    attachment = appeal.attachments.get()
    return [
        appeal.get_absolute_url(),
        f"/support/feedback/sent/{appeal.number}/",
        attachment.get_download_url(),
        f"/api/v1/appeals/{appeal.number}/",
    ]


def test_owner_sees_everything(client, citizen, appeal):
    client.force_login(citizen)
    for path in _paths(appeal):
        assert client.get(path).status_code == 200, path


def test_other_citizen_gets_404_for_appeal_attachment_and_api(client, other_citizen, appeal):
    client.force_login(other_citizen)
    for path in _paths(appeal):
        assert client.get(path).status_code == 404, path
    for step in ("clarify", "review", "escalate", "resolved"):
        response = client.post(f"/support/appeals/{appeal.number}/{step}/", {f"{step}-text": "x"})
        assert response.status_code == 404


def test_missing_and_foreign_appeals_look_the_same(client, other_citizen, appeal):
    client.force_login(other_citizen)
    assert client.get("/support/appeals/99999999/").status_code == 404
    assert client.get(appeal.get_absolute_url()).status_code == 404


def test_anonymous_visitor_is_sent_to_the_lookup(client, appeal):
    for number in (appeal.number, "99999999"):
        response = client.get(f"/support/appeals/{number}/")
        assert response.status_code == 302
        assert response["Location"] == f"/support/appeals/lookup/?number={number}"
    assert client.get(appeal.attachments.get().get_download_url()).status_code == 404
    assert client.get(f"/api/v1/appeals/{appeal.number}/").status_code == 401


def test_download_is_an_attachment_with_nosniff(client, citizen, appeal):
    client.force_login(citizen)
    response = client.get(appeal.attachments.get().get_download_url())
    assert response["Content-Disposition"].startswith("attachment;")
    assert "scan.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_staff_download_but_citizens_of_staff_pages_get_403(client, citizen, appeal):
    client.force_login(operator_make())
    assert client.get(appeal.attachments.get().get_download_url()).status_code == 200
    client.force_login(citizen)
    assert client.get("/support/operator/appeals/").status_code == 403
    assert client.get(appeal.get_operator_url()).status_code == 403


def test_anonymous_operator_pages_redirect_to_login(client, appeal):
    response = client.get("/support/operator/appeals/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_lookup_opens_the_appeal_without_an_account(appeal):
    client = Client()
    response = client.post(
        "/support/appeals/lookup/", {"number": appeal.number, "email": " ANNA@example.org "}
    )
    assert response.status_code == 302
    assert response["Location"] == appeal.get_absolute_url()
    assert client.get(appeal.get_absolute_url()).status_code == 200
    assert client.get(appeal.attachments.get().get_download_url()).status_code == 200


@pytest.mark.parametrize(
    "wrong",
    [{"number": "99999999"}, {"email": "eve@example.org"}, {"number": "abc"}],
)
def test_lookup_says_the_same_for_any_mistake(appeal, wrong):
    client = Client()
    data = {"number": appeal.number, "email": "anna@example.org", **wrong}
    response = client.post("/support/appeals/lookup/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert str(LOOKUP_FAILED) in html or "Введите номер" in html
    assert client.get(appeal.get_absolute_url()).status_code == 302


def test_lookup_wrong_number_and_wrong_email_give_identical_pages(appeal):
    url = "/support/appeals/lookup/"
    a = Client().post(url, {"number": "99999999", "email": "anna@example.org"})
    b = Client().post(url, {"number": appeal.number, "email": "x@example.org"})

    def strip(response) -> str:
        html = response.content.decode()
        main = html[html.index("<main") : html.index("</main>")]
        main = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", main)
        return main.replace(appeal.number, "N").replace("99999999", "N")

    a_html, b_html = strip(a), strip(b)
    for html in (a_html, b_html):
        assert str(LOOKUP_FAILED) in html
    # Only the echoed inputs differ.
    assert a_html.replace("anna@example.org", "E") == b_html.replace("x@example.org", "E")


def test_lookup_is_rate_limited(appeal, settings):
    settings.APPEALS_LOOKUP_RATE = "3/m"
    client = Client()
    for _ in range(3):
        client.post("/support/appeals/lookup/", {"number": "99999999", "email": "e@example.org"})
    response = client.post(
        "/support/appeals/lookup/", {"number": appeal.number, "email": "anna@example.org"}
    )
    assert response.status_code == 429
    assert client.get(appeal.get_absolute_url()).status_code == 302


def test_citizen_steps_from_the_page(client, citizen):
    from support.appeals import actions
    from support.appeals.models import Status

    appeal = appeal_make(author=citizen)
    operator = operator_make()
    actions.appeal_request_clarification(appeal=appeal, actor=operator, text="Квитанцию?")
    client.force_login(citizen)
    empty = client.post(f"/support/appeals/{appeal.number}/clarify/", {"clarify-text": ""})
    assert empty.status_code == 400 and "error-summary" in empty.content.decode()
    response = client.post(
        f"/support/appeals/{appeal.number}/clarify/",
        {"clarify-text": "Вот квитанция", "clarify-files": [upload("q.pdf", PDF)]},
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == Status.IN_PROGRESS
    bad = appeal_make(author=citizen)
    actions.appeal_request_clarification(appeal=bad, actor=operator, text="?")
    response = client.post(
        f"/support/appeals/{bad.number}/clarify/",
        {"clarify-text": "Файл", "clarify-files": [upload("q.pdf", EXE)]},
    )
    assert response.status_code == 400
    assert "«q.pdf»" in response.content.decode()


def test_my_appeals_lists_only_mine(client, citizen, other_citizen):
    mine = appeal_make(author=citizen, subject="Моё обращение")
    appeal_make(author=other_citizen, subject="Чужое обращение")
    client.force_login(citizen)
    html = client.get("/support/appeals/").content.decode()
    assert mine.number in html and "Чужое обращение" not in html


def test_idempotency_key_of_another_user_is_refused_by_the_api(client, citizen, other_citizen):
    key = uuid.uuid4()
    topic = TopicFactory(slug="account")
    client.force_login(citizen)
    data = {"topic": topic.slug, "subject": "s", "description": "d", "consent": True}
    assert client.post("/api/v1/appeals/", data, HTTP_IDEMPOTENCY_KEY=str(key)).status_code == 201
    client.force_login(other_citizen)
    assert client.post("/api/v1/appeals/", data, HTTP_IDEMPOTENCY_KEY=str(key)).status_code == 409
