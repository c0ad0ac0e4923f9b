"""/my/settings/ and /my/notifications/: the profile, the preferences and the inbox."""

import re

import pytest
from django.core import mail
from django.test import Client

from portal.models import PhoneConfirmation
from portal.notifications import actions
from portal.notifications.models import Channel, Notification, NotificationEvent
from portal.notifications.selectors import preferences_for

pytestmark = pytest.mark.django_db
SETTINGS = "/my/settings/"
INBOX = "/my/notifications/"


def profile(**overrides) -> dict:
    data = {
        "form": "profile",
        "last_name": "Иванов",
        "first_name": "Иван",
        "middle_name": "",
        "phone": "",
        "snils": "",
    }
    return data | overrides


def test_cabinet_pages_need_sign_in(client):
    for url in (SETTINGS, INBOX):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_profile_saves_the_snils_and_a_normalised_phone_waits_for_its_code(client, citizen):
    client.force_login(citizen)
    response = client.post(
        SETTINGS, profile(phone="8 (916) 123-45-67", snils="112-233-445 95", middle_name="Петрович")
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert (citizen.snils, citizen.middle_name) == ("11223344595", "Петрович")
    # The phone goes in once the SMS code is typed (tests/portal/test_phone_confirmation.py).
    assert citizen.phone == ""
    assert PhoneConfirmation.objects.get(user=citizen).phone == "+79161234567"
    page = client.get(SETTINGS).content.decode()
    assert "Профиль сохранён." in page and 'value="112-233-445 95"' in page


@pytest.mark.parametrize(
    ("snils", "message"),
    [
        ("112-233-445 96", "контрольное число не сходится"),
        ("1122334459", "СНИЛС — 11 цифр"),
        ("абв", "СНИЛС — 11 цифр"),
    ],
)
def test_malformed_snils_is_refused_next_to_the_field(client, citizen, snils, message):
    client.force_login(citizen)
    response = client.post(SETTINGS, profile(snils=snils, last_name="Сидоров"))
    content = response.content.decode()
    assert response.status_code == 200
    assert re.search(rf'id="id_snils_error".*{message}', content, re.S)
    assert 'class="error-summary"' in content and 'href="#id_snils"' in content
    citizen.refresh_from_db()
    assert citizen.snils == "" and citizen.last_name == "Иванов"  # nothing half-saved


def test_email_changes_only_after_confirmation(client, citizen):
    client.force_login(citizen)
    old = citizen.email
    response = client.post("/accounts/email/", {"action_add": "", "email": "new@example.org"})
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.email == old
    assert mail.outbox[-1].to == ["new@example.org"]
    path = re.search(r"https?://\S+", mail.outbox[-1].body).group(0).split("testserver", 1)[-1]
    client.post(path)
    citizen.refresh_from_db()
    assert citizen.email == "new@example.org"


def test_preferences_show_defaults_and_are_saved(client, citizen):
    client.force_login(citizen)
    page = client.get(SETTINGS).content.decode()
    checked = re.findall(r'name="(\w+)"[^>]*checked', page)
    assert sorted(checked) == ["answer_given__email", "clarification_requested__email"]
    assert "Push-уведомления пока недоступны" in page
    response = client.post(SETTINGS, {"form": "preferences", "deadline_extended__sms": "on"})
    assert response.status_code == 302
    chosen = preferences_for(user=citizen)
    assert chosen[(NotificationEvent.DEADLINE_EXTENDED, Channel.SMS)] is True
    assert chosen[(NotificationEvent.ANSWER_GIVEN, Channel.EMAIL)] is False  # unticked


def _notify(user, n: int) -> list[Notification]:
    return [
        actions.notification_send(
            user=user, event=NotificationEvent.STATUS_CHANGED, title=f"Событие {i}", url="/my/"
        )
        for i in range(n)
    ]


def test_inbox_lists_newest_first_with_read_state_in_words(
    client, citizen, django_assert_max_num_queries
):
    _notify(citizen, 2)
    actions.notifications_mark_read(
        user=citizen, ids=[Notification.objects.get(title="Событие 0").pk]
    )
    client.force_login(citizen)
    with django_assert_max_num_queries(8):
        content = client.get(INBOX).content.decode()
    assert content.index("Событие 1") < content.index("Событие 0")
    assert "Новое" in content and "Прочитано" in content
    assert 'href="/my/"' in content
    assert "Уведомления (1)" in content  # the header


def test_inbox_is_paginated(client, citizen):
    _notify(citizen, 25)
    client.force_login(citizen)
    first = client.get(INBOX).content.decode()
    assert "Событие 24" in first and "Событие 4<" not in first
    assert "Страница 1 из 2" in first
    second = client.get(INBOX + "?page=2").content.decode()
    assert "Событие 0" in second


def test_mark_all_read(client, citizen):
    _notify(citizen, 3)
    client.force_login(citizen)
    response = client.post(INBOX + "read/")
    assert response.status_code == 302
    assert not Notification.objects.filter(user=citizen, read_at__isnull=True).exists()
    assert "Уведомления (0)" in client.get(INBOX).content.decode()


def test_another_citizens_notification_cannot_be_marked_read(client, citizen, other_citizen):
    theirs = actions.notification_send(
        user=other_citizen, event=NotificationEvent.ANSWER_GIVEN, title="Чужое уведомление"
    )
    (mine,) = _notify(citizen, 1)
    client.force_login(citizen)
    client.post(INBOX + "read/", {"id": [theirs.pk]})
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.read_at is None
    assert mine.read_at is None  # an id that is not yours marks nothing else either
    assert "Чужое уведомление" not in client.get(INBOX).content.decode()


def test_mark_read_needs_a_post_and_the_csrf_token(citizen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    assert client.get(INBOX + "read/").status_code == 405
    assert client.post(INBOX + "read/").status_code == 403
    assert client.post(SETTINGS, profile()).status_code == 403


def test_header_link_only_for_signed_in(client, citizen):
    assert "Уведомления (" not in client.get("/").content.decode()
    client.force_login(citizen)
    assert "Уведомления (0)" in client.get("/").content.decode()
