"""The cabinet's pages: who sees what, the list's filters, search, sort and pages."""

import datetime
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db.models import Value
from django.utils import timezone

from portal.applications.actions import application_status_change
from portal.applications.lifecycle import Role
from portal.applications.models import Status
from portal.models import User
from support.appeals.models import Appeal
from support.appeals.models import Status as AppealStatus
from support.cabinet.registry import tracker_item, tracker_kind_register, tracker_rows
from support.cabinet.selectors import tracker_items_for
from tests.portal.application_factories import application
from tests.portal.catalogue_factories import ServiceFactory
from tests.support.appeals.factories import TopicFactory, appeal_make

pytestmark = pytest.mark.django_db

PAGES = ["/my/", "/my/applications/", "/my/applications/?state=all&kind=appeal"]


def numbers_in(response) -> list[str]:
    """The item numbers in the table, in order."""
    return re.findall(
        r'<td data-label="Номер"><a href="[^"]+">(\d+)</a>', response.content.decode()
    )


@pytest.mark.parametrize("url", [*PAGES, "/my/applications/7000000001/"])
def test_anonymous_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == "/accounts/login/"
    assert parse_qs(location.query)["next"] == [url]  # back to the very page, query and all


def test_another_citizens_application_is_404(client, citizen, other_citizen):
    theirs = application(user=other_citizen)
    client.force_login(citizen)
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.get("/my/applications/9999999999/").status_code == 404


def test_own_application_shows_history_and_refusal_reason(client, citizen):
    app = application(user=citizen, status=Status.IN_REVIEW)
    application_status_change(
        application=app, to=Status.REFUSED, role=Role.DEPARTMENT, reason="Нет справки 086/у"
    )
    client.force_login(citizen)
    response = client.get(app.get_absolute_url())
    assert response.status_code == 200
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    )
    body = response.content.decode()
    assert "Отказ" in body
    assert "Нет справки 086/у" in body
    assert app.service.title in body


def test_list_has_applications_and_appeals_with_overdue_in_words(client, citizen, other_citizen):
    long_ago = timezone.now() - datetime.timedelta(days=60)
    late = application(
        user=citizen, submitted_at=long_ago, service=ServiceFactory(processing_days=5)
    )
    waiting = application(user=citizen, status=Status.ACTION_REQUIRED)
    appeal = appeal_make(author=citizen)
    application(user=other_citizen, number="5555555555")
    client.force_login(citizen)
    response = client.get("/my/applications/")
    body = response.content.decode()
    assert set(numbers_in(response)) == {late.number, waiting.number, appeal.number}
    assert "5555555555" not in body
    assert "Срок истёк" in body
    assert "Нужно ваше действие" in body
    assert "Обращение" in body and "Заявление на услугу" in body


def test_filters_state_kind_number(client, citizen):
    done = application(user=citizen, status=Status.DONE)
    active = application(user=citizen, status=Status.IN_REVIEW)
    appeal = appeal_make(author=citizen)
    client.force_login(citizen)
    client.get(f"/my/applications/open/application/{done.pk}/")  # its result seen
    assert set(numbers_in(client.get("/my/applications/"))) == {active.number, appeal.number}
    assert numbers_in(client.get("/my/applications/?state=finished")) == [done.number]
    assert set(numbers_in(client.get("/my/applications/?state=all&kind=application"))) == {
        done.number,
        active.number,
    }
    assert numbers_in(client.get(f"/my/applications/?state=all&number={done.number[-4:]}")) == [
        done.number
    ]
    # Spaces and dashes typed with the number are ignored.
    spaced = f"{done.number[:3]} {done.number[3:]}"
    assert numbers_in(client.get("/my/applications/", {"state": "all", "number": spaced})) == [
        done.number
    ]


def test_bad_filter_values_fall_back_to_defaults(client, citizen):
    active = application(user=citizen, status=Status.IN_REVIEW)
    client.force_login(citizen)
    response = client.get("/my/applications/?state=nonsense&kind=<script>&sort=x&page=-3")
    assert response.status_code == 200
    assert numbers_in(response) == [active.number]
    assert "<script>" not in response.content.decode()


def test_sort_by_number_and_pages(client, citizen):
    service = ServiceFactory()
    numbers = [f"{8000000000 + i}" for i in range(25)]
    for number in reversed(numbers):
        application(user=citizen, service=service, number=number)
    client.force_login(citizen)
    first = client.get("/my/applications/?sort=number")
    assert numbers_in(first) == numbers[:20]
    assert "Страница 1 из 2" in first.content.decode()
    second = client.get("/my/applications/?sort=number&page=2")
    assert numbers_in(second) == numbers[20:]


def test_htmx_request_gets_the_results_partial_with_the_url(client, citizen):
    application(user=citizen)
    client.force_login(citizen)
    response = client.get(
        "/my/applications/?state=all&sort=number",
        headers={"HX-Request": "true", "HX-Target": "tracker-results"},
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="tracker-results"')
    assert "<html" not in body
    assert response["HX-Push-Url"] == "/my/applications/?state=all&sort=number"


def test_home_puts_what_needs_action_first(client, citizen):
    waiting = application(user=citizen, status=Status.ACTION_REQUIRED)
    application(user=citizen, status=Status.IN_REVIEW)
    appeal = appeal_make(author=citizen)
    Appeal.objects.filter(pk=appeal.pk).update(status=AppealStatus.CLARIFICATION)
    client.force_login(citizen)
    body = client.get("/my/").content.decode()
    action_part = body.split('id="action-title"')[1].split('id="recent-title"')[0]
    assert waiting.number in action_part
    assert appeal.number in action_part


def test_home_shows_the_first_waiting_items_and_links_to_all_of_them(client, citizen):
    waiting = [application(user=citizen, status=Status.ACTION_REQUIRED) for _ in range(12)]
    application(user=citizen, status=Status.IN_REVIEW)
    client.force_login(citizen)
    body = client.get("/my/").content.decode()
    action_part = body.split('id="action-title"')[1].split('id="recent-title"')[0]
    assert sum(item.number in action_part for item in waiting) == 10
    assert "Всё, что ждёт вашего действия (12)" in action_part
    listed = client.get("/my/applications/?state=action")
    assert sorted(numbers_in(listed)) == sorted(item.number for item in waiting)


def test_home_has_no_link_to_more_when_everything_waiting_is_shown(client, citizen):
    application(user=citizen, status=Status.ACTION_REQUIRED)
    client.force_login(citizen)
    assert "Всё, что ждёт вашего действия" not in client.get("/my/").content.decode()


def test_header_links_my_applications_for_signed_in_only(client, citizen):
    assert "Мои заявки" not in client.get("/").content.decode()
    client.force_login(citizen)
    body = client.get("/").content.decode()
    assert 'href="/my/applications/"' in body
    assert "Мои обращения</a></li>" not in body  # the header link it replaces
    assert client.get("/support/appeals/").status_code == 200


def test_tracker_answers_in_constant_queries(django_assert_max_num_queries, citizen):
    topic = TopicFactory()
    services = [ServiceFactory() for _ in range(3)]
    for i in range(40):
        application(user=citizen, service=services[i % 3], status=list(Status)[i % 6])
    for _ in range(15):
        appeal_make(author=citizen, topic=topic)
    # The counts and the rows, whatever the number of items or kinds.
    with django_assert_max_num_queries(2):
        items = tracker_items_for(user=citizen)
    assert len(items) == 55
    assert {item.kind for item in items} == {"application", "appeal"}


def test_a_registered_kind_is_listed_without_the_cabinet_importing_it(client, citizen):
    class Callbacks:
        """A kind over a model the cabinet knows nothing about (here: the user's own row)."""

        key = "callback"
        label = "Обратный звонок"

        def rows(self, *, user, today, now):
            return tracker_rows(
                User.objects.filter(pk=user.pk),
                kind=self.key,
                number=Value("31337"),
                title=Value("Перезвонить"),
                status=Value("planned"),
                changed_at=Value(now),
                expected_date=None,
                active=True,
                needs_action=False,
                overdue=False,
            )

        def item(self, row):
            return tracker_item(
                row, kind_label=self.label, status_label="Запланирован", url="/support/contacts/"
            )

    from support.cabinet import registry

    saved = dict(registry._kinds)
    tracker_kind_register(Callbacks())
    try:
        client.force_login(citizen)
        response = client.get("/my/applications/?kind=callback")
        assert numbers_in(response) == ["31337"]
        assert (
            '<option value="callback" selected>Обратный звонок</option>'
            in response.content.decode()
        )
    finally:
        registry._kinds.clear()
        registry._kinds.update(saved)


def test_the_list_speaks_english_too(client, citizen):
    application(user=citizen, status=Status.ACTION_REQUIRED)
    client.force_login(citizen)
    response = client.get("/my/applications/", headers={"Accept-Language": "en"})
    body = response.content.decode()
    assert "<h1>My applications</h1>" in body
    assert "Action required" in body
    assert "Your action is needed" in body
    assert "Service application" in body


def test_a_result_not_seen_stays_in_active_marked_new_until_opened(client, citizen, other_citizen):
    from support.cabinet.models import TrackerSeen

    appeal = appeal_make(author=citizen)
    client.force_login(citizen)
    page = client.get("/my/applications/").content.decode()
    assert appeal.number in page and "Новое" not in page
    # The operator answers while the citizen watches the list: the appeal stays, marked.
    Appeal.objects.filter(pk=appeal.pk).update(
        status=AppealStatus.ANSWERED, updated_at=timezone.now()
    )
    response = client.get("/my/applications/")
    assert numbers_in(response) == [appeal.number]
    assert "Новое" in response.content.decode()
    assert response.context["counts"].active == 1 and response.context["counts"].finished == 1
    # Opened from the list: noted as seen, then the appeal's own page.
    opened = client.get(f"/my/applications/open/appeal/{appeal.pk}/")
    assert opened.status_code == 302 and opened["Location"] == f"/support/appeals/{appeal.number}/"
    assert TrackerSeen.objects.filter(user=citizen, kind="appeal", object_pk=appeal.pk).count() == 1
    assert numbers_in(client.get("/my/applications/")) == []
    finished = client.get("/my/applications/?state=finished")
    assert numbers_in(finished) == [appeal.number] and "Новое" not in finished.content.decode()
    # Opening it again writes no second row; a new change makes it new again.
    client.get(f"/my/applications/open/appeal/{appeal.pk}/")
    assert TrackerSeen.objects.filter(kind="appeal", object_pk=appeal.pk).count() == 1
    Appeal.objects.filter(pk=appeal.pk).update(
        status=AppealStatus.CLOSED, updated_at=timezone.now() + datetime.timedelta(seconds=5)
    )
    assert numbers_in(client.get("/my/applications/")) == [appeal.number]


def test_an_old_result_is_not_kept_forever(client, citizen):
    from support.cabinet.selectors import KEEP_UNSEEN

    appeal = appeal_make(author=citizen)
    Appeal.objects.filter(pk=appeal.pk).update(
        status=AppealStatus.CLOSED,
        updated_at=timezone.now() - KEEP_UNSEEN - datetime.timedelta(minutes=1),
    )
    client.force_login(citizen)
    assert numbers_in(client.get("/my/applications/")) == []


def test_nobody_opens_someone_elses_item_or_an_unknown_kind(client, citizen, other_citizen):
    from support.cabinet.models import TrackerSeen

    theirs = appeal_make(author=other_citizen)
    client.force_login(citizen)
    assert client.get(f"/my/applications/open/appeal/{theirs.pk}/").status_code == 404
    assert client.get(f"/my/applications/open/nonsense/{theirs.pk}/").status_code == 404
    assert client.get("/my/applications/open/appeal/999999/").status_code == 404
    assert not TrackerSeen.objects.exists()
    client.logout()
    response = client.get(f"/my/applications/open/appeal/{theirs.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_closed_chat_asks_nothing_of_the_citizen(client, citizen):
    from support.chat.models import Conversation
    from support.chat.models import Status as ChatStatus

    Conversation.objects.create(user=citizen, status=ChatStatus.CLOSED, closed_at=timezone.now())
    client.force_login(citizen)
    response = client.get("/my/applications/?state=all")
    assert "Ч-" in response.content.decode()
    assert "Нужно ваше действие" not in response.content.decode()
    assert response.context["counts"].needs_action == 0


def test_the_filters_say_how_many_are_chosen(client, citizen):
    client.force_login(citizen)
    assert "(не выбраны)" in client.get("/my/applications/").content.decode()
    page = client.get("/my/applications/?state=all&kind=appeal&sort=number").content.decode()
    assert "(выбрано: 3)" in page


def test_the_headers_count_is_read_alone(client, citizen):
    from portal.notifications.models import Notification

    client.force_login(citizen)
    Notification.objects.create(user=citizen, event="status_changed", title="Дан ответ")
    response = client.get("/my/notifications/count/")
    body = response.content.decode()
    assert response.status_code == 200 and 'id="header-notifications"' in body
    assert "Уведомления (1)" in body and "<header" not in body
    client.logout()
    assert client.get("/my/notifications/count/").status_code == 302
