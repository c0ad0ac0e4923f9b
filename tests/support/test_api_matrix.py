"""The citizen API's permission matrix: anonymous is 401 with a challenge, someone else's
object is 404, the owner reads it; the public endpoints stay open."""

import pytest
from rest_framework.test import APIClient

from tests.portal.application_factories import application
from tests.support.appeals.factories import appeal_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(citizen):
    return {
        "application": application(user=citizen).number,
        "appeal": appeal_make(author=citizen).number,
    }


def citizen_urls(objects) -> list[str]:
    return [
        "/api/v1/applications/",
        f"/api/v1/applications/{objects['application']}/",
        "/api/v1/notifications/",
        "/api/v1/appeals/",
        f"/api/v1/appeals/{objects['appeal']}/",
    ]


def test_anonymous_gets_401_with_a_challenge_everywhere(objects):
    api = APIClient()
    for url in citizen_urls(objects):
        response = api.get(url)
        assert response.status_code == 401, url
        assert response["WWW-Authenticate"] == 'Session realm="api"', url


def test_another_citizen_gets_404_and_the_owner_200(objects, citizen, other_citizen):
    api = APIClient()
    api.force_login(other_citizen)
    for url in citizen_urls(objects):
        expected = 404 if url.rstrip("/").split("/")[-1].isdigit() else 200
        assert api.get(url).status_code == expected, url
    api.force_login(citizen)
    for url in citizen_urls(objects):
        assert api.get(url).status_code == 200, url


def test_public_endpoints_stay_open_to_anonymous():
    api = APIClient()
    for url in ("/api/v1/services/", "/api/v1/faq/articles/?q=паспорт"):
        assert api.get(url).status_code == 200, url


def test_the_department_endpoint_keeps_its_own_challenge(objects):
    response = APIClient().post(
        f"/api/v1/department/applications/{objects['application']}/status/",
        {"status": "in_review"},
        format="json",
    )
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
