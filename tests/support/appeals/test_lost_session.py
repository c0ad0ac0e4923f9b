"""Nothing typed or attached is lost when the session ends: a lost session or CSRF cookie
gets the portal's page with the form as it was sent, and an appeal is never registered
without a file the citizen saw attached."""

import re
import uuid

import pytest
from django.test import Client

from support.appeals import actions, rules
from support.appeals.models import Appeal, Attachment
from support.centre import uploads
from tests.support.appeals.factories import PDF, PNG, TopicFactory, checked, upload

pytestmark = pytest.mark.django_db
URL = "/support/feedback/"


def _form(client: Client) -> str:
    """The token of a feedback form the client was given."""
    html = client.get(URL).content.decode()
    return re.search(r'name="token" value="([0-9a-f-]{36})"', html).group(1)


def _data(topic, token: str, **overrides) -> dict:
    return {
        "token": token,
        "topic": topic.pk,
        "subject": "Не приходит СМС",
        "description": "Третий день не приходит СМС с кодом.",
        "email": "anna@example.org",
        "answer_channel": "email",
        "consent": "on",
        **overrides,
    }


def _attach(client: Client, token: str, name: str, content: bytes) -> str:
    response = client.post(URL + "files/", {"token": token, "files": upload(name, content)})
    assert response.status_code == 201, response.content
    return response.json()["key"]


def test_session_lost_after_attaching_registers_nothing_and_asks_for_the_files_again(client):
    topic = TopicFactory()
    token = _form(client)
    keys = [_attach(client, token, "скан.pdf", PDF), _attach(client, token, "фото.png", PNG)]
    client.cookies.pop("sessionid")  # the session cookie is gone; the CSRF cookie is not

    response = client.post(URL, {**_data(topic, token), "attached": keys})

    html = response.content.decode()
    assert response.status_code == 400
    assert Appeal.objects.count() == 0
    assert rules.files_lost(["скан.pdf", "фото.png"]) in html.replace("&quot;", '"')
    assert "Третий день не приходит СМС с кодом." in html  # what was typed, in the form
    assert 'value="Не приходит СМС"' in html

    # Attached again in the new session and sent: the appeal has its files.
    new_token = re.search(r'name="token" value="([0-9a-f-]{36})"', html).group(1)
    again = _attach(client, new_token, "скан.pdf", PDF)
    response = client.post(URL, {**_data(topic, new_token), "attached": [again]})
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert [a.original_name for a in appeal.attachments.all()] == ["скан.pdf"]


def test_files_attached_in_this_session_register_with_the_appeal(client):
    topic = TopicFactory()
    token = _form(client)
    key = _attach(client, token, "скан.pdf", PDF)
    response = client.post(URL, {**_data(topic, token), "attached": [key]})
    assert response.status_code == 302
    assert Appeal.objects.get().attachments.get().original_name == "скан.pdf"


def test_a_file_taken_back_in_another_tab_is_asked_for_not_silently_dropped(client):
    topic = TopicFactory()
    token = _form(client)
    key = _attach(client, token, "скан.pdf", PDF)
    Attachment.objects.filter(key=key).delete()  # the daily clean-up, or another tab
    response = client.post(URL, {**_data(topic, token), "attached": [key]})
    assert response.status_code == 400
    assert str(rules.FILES_LOST) in response.content.decode()
    assert Appeal.objects.count() == 0


def test_cookies_cleared_gives_the_portals_page_with_the_form_as_typed():
    topic = TopicFactory()
    browser = Client(enforce_csrf_checks=True)
    token = _form(browser)
    key = _attach_with_csrf(browser, token)
    browser.cookies.clear()  # all cookies: the session and the CSRF cookie

    response = browser.post(
        URL,
        {**_data(topic, token), "attached": [key], "files": upload("ещё.pdf", PDF)},
    )

    html = response.content.decode()
    assert response.status_code == 403
    assert Appeal.objects.count() == 0
    assert "<h1>Обратная связь</h1>" in html  # the form itself, not Django's 403
    assert str(rules.SESSION_EXPIRED) in html
    assert rules.files_lost(["скан.pdf", "ещё.pdf"]) in html.replace("&quot;", '"')
    assert "Третий день не приходит СМС с кодом." in html
    assert f'<option value="{topic.pk}" selected>' in html
    assert "checked" in html.split('name="consent"')[1][:300]
    # The page is a working form under a new token: sent again, it registers.
    fresh = re.search(r'name="token" value="([0-9a-f-]{36})"', html).group(1)
    assert fresh != token
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = browser.post(URL, {**_data(topic, fresh), "csrfmiddlewaretoken": csrf})
    assert response.status_code == 302
    assert Appeal.objects.count() == 1


def _attach_with_csrf(browser: Client, token: str) -> str:
    csrf = browser.cookies["csrftoken"].value
    response = browser.post(
        URL + "files/",
        {"token": token, "files": upload("скан.pdf", PDF)},
        headers={"X-CSRFToken": csrf},
    )
    assert response.status_code == 201, response.content
    return response.json()["key"]


def test_any_other_form_keeps_what_was_typed_and_sends_it_again():
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(
        "/support/appeals/lookup/",
        {"number": "12345678", "email": "anna@example.org", "password": "secret"},
    )
    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Сеанс истёк</h1>" in html
    assert "anna@example.org" in html and "12345678" in html
    assert "secret" not in html  # a password is never shown back
    assert 'action="/support/appeals/lookup/"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def _send(token: uuid.UUID, **kwargs) -> actions.FeedbackSent:
    return actions.feedback_send(
        author=None,
        visitor="s1",
        address="203.0.113.1",
        token=token,
        key_issued=True,
        **{"appeal": None, **kwargs},
    )


def test_feedback_send_takes_a_file_back_and_registers_nothing():
    token = uuid.uuid4()
    (kept,) = actions.attachments_stash(
        token=token, owner="s1", address="203.0.113.1", files=[checked()]
    )
    sent = _send(token, remove=kept.key)
    assert sent.appeal is None and sent.refusals == ()
    assert Attachment.objects.count() == 0


def test_feedback_send_keeps_only_the_files_that_fit():
    token = uuid.uuid4()
    actions.attachments_stash(
        token=token, owner="s1", address="203.0.113.1", files=[checked() for _ in range(4)]
    )
    sent = _send(token, files=[checked("five.pdf"), checked("six.pdf")])
    assert [error.message_dict for error in sent.refusals] == [
        {"files": [str(uploads.TOO_MANY_FILES)]}
    ]
    names = Attachment.objects.filter(pending_token=token).values_list("original_name", flat=True)
    assert "five.pdf" in names and "six.pdf" not in names


def test_feedback_send_spent_token_starts_a_fresh_form():
    topic = TopicFactory()
    token = uuid.uuid4()
    fields = {
        "topic": topic,
        "subject": "Тема",
        "description": "Текст",
        "phone": "",
        "email": "anna@example.org",
        "answer_channel": "email",
        "consent": True,
        "service": None,
    }
    assert _send(token, appeal=fields).appeal is not None
    other = _send(token, appeal={**fields, "subject": "Другая тема"})
    assert other.appeal is None
    assert other.fresh_token is not None and other.fresh_token != token
    assert other.refusals[0].messages == [str(rules.IDEMPOTENCY_CONFLICT)]
    assert Appeal.objects.count() == 1
