"""What the README promises each staff role in the admin, checked as that role."""

import pytest
from django.contrib.auth.models import Group

from portal.applications.models import Status
from portal.demo import seed_users
from portal.roles import SUPERVISORS
from support.appeals.models import Topic
from support.chat.models import CannedAnswer
from tests.portal.application_factories import application
from tests.portal.factories import UserFactory
from tests.portal.test_applications_admin import change_url, form_data
from tests.support.appeals.factories import TopicFactory, operator_make, supervisor_make

pytestmark = pytest.mark.django_db
TOPICS = "/admin/appeals/topic/"


def topic_form(topic: Topic, **changes) -> dict:
    data = {
        "slug": topic.slug,
        "name": topic.name,
        "description": topic.description,
        "deadline_days": topic.deadline_days,
        "clarification_days": topic.clarification_days,
        "interagency_days": topic.interagency_days,
        "order": topic.order,
        "is_active": "on" if topic.is_active else "",
    }
    data.update(changes)
    return data


@pytest.fixture
def demo_editor():
    """The demo `editor` account, as the seed makes it."""
    return next(user for user in seed_users() if user.username == "editor")


def test_the_demo_editor_keeps_appeal_topics_and_their_deadlines(client, demo_editor):
    topic = TopicFactory(deadline_days=5)
    client.force_login(demo_editor)
    changelist = client.get(TOPICS)
    assert changelist.status_code == 200
    assert topic.name in changelist.content.decode()
    assert client.get("/admin/").content.decode().count(TOPICS) >= 1  # on the index too
    response = client.post(f"{TOPICS}{topic.pk}/change/", topic_form(topic, deadline_days=7))
    assert response.status_code == 302, response.content.decode()[:2000]
    topic.refresh_from_db()
    assert topic.deadline_days == 7
    assert client.get(f"{TOPICS}add/").status_code == 200


def test_an_operator_sees_topics_but_cannot_change_them(client):
    topic = TopicFactory(deadline_days=5)
    client.force_login(operator_make())
    assert client.get(f"{TOPICS}add/").status_code == 403
    response = client.post(f"{TOPICS}{topic.pk}/change/", topic_form(topic, deadline_days=30))
    assert response.status_code == 403
    topic.refresh_from_db()
    assert topic.deadline_days == 5


@pytest.mark.parametrize(
    "page",
    [
        "/admin/faq/article/",
        "/admin/faq/synonymgroup/",
        "/admin/catalogue/service/",
        "/admin/catalogue/service/import/",
        "/admin/contacts/contactchannel/",
        "/admin/workcalendar/calendarexception/",
        "/admin/callbacks/callbackcapacity/",
        "/admin/chat/cannedanswer/add/",
        TOPICS,
    ],
)
def test_the_demo_editor_opens_every_page_the_readme_promises(client, demo_editor, page):
    client.force_login(demo_editor)
    assert client.get(page).status_code == 200


def test_the_demo_editor_has_no_access_to_accounts(client, demo_editor):
    client.force_login(demo_editor)
    assert client.get("/admin/portal/user/").status_code == 403


def test_a_supervisor_keeps_canned_answers(client):
    supervisor = UserFactory(username="lead", is_staff=True)
    supervisor.groups.add(Group.objects.get(name=SUPERVISORS))
    client.force_login(supervisor)
    response = client.post(
        "/admin/chat/cannedanswer/add/",
        {"title": "Приветствие", "text": "Здравствуйте!", "order": 0, "is_active": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert CannedAnswer.objects.filter(title="Приветствие").exists()


def test_a_supervisor_corrects_an_application_through_the_lifecycle(client, citizen):
    app = application(user=citizen, status=Status.IN_REVIEW)
    client.force_login(supervisor_make())
    body = client.get(change_url(app)).content.decode()
    assert '<option value="cancelled">' in body
    assert '<option value="done">' not in body  # the result stays the department's
    response = client.post(change_url(app), form_data(app, new_status="cancelled"))
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == Status.CANCELLED
    # Departments and their keys stay with the administrators.
    assert client.get("/admin/applications/departmentapikey/").status_code == 403


def test_an_operator_reads_applications_but_cannot_change_them(client, citizen):
    app = application(user=citizen, status=Status.IN_REVIEW)
    client.force_login(operator_make())
    assert client.get(change_url(app)).status_code == 200
    response = client.post(change_url(app), form_data(app, new_status="cancelled"))
    assert response.status_code == 403
    app.refresh_from_db()
    assert app.status == Status.IN_REVIEW
