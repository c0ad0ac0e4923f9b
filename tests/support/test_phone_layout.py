"""What a citizen finds on a phone-sized page: the header's links, the hub's cards, the
appeals list that says in words which answer is late."""

import datetime
import re

import pytest
from django.utils import timezone

from support.appeals.models import Appeal, Status
from support.contacts.demo import seed_contacts
from tests.support.appeals.factories import appeal_make

pytestmark = pytest.mark.django_db

MINE = "/my/applications/"
MY_APPEALS = "/support/appeals/"


def section(content: str, start: str, end: str) -> str:
    return content[content.index(start) : content.index(end, content.index(start))]


def nav(content: str) -> str:
    return section(content, '<nav id="site-nav"', "</nav>")


def test_the_header_links_my_applications_for_a_signed_in_citizen(client, citizen):
    client.force_login(citizen)
    header = nav(client.get("/").content.decode())
    assert f'<a href="{MINE}">Мои заявки</a>' in header
    # "Мои заявки" lists the appeals too: the old "Мои обращения" link is gone.
    assert "/support/appeals/" not in header
    # On the list itself the link says it is the current page.
    assert f'<a href="{MINE}" aria-current="page">Мои заявки</a>' in nav(
        client.get(MINE).content.decode()
    )


def test_a_visitor_has_no_my_applications_link_in_the_header(client):
    assert MINE not in nav(client.get("/").content.decode())


def test_the_header_folds_behind_two_buttons_that_name_what_they_open(client):
    content = client.get("/").content.decode()
    header = section(content, '<header class="site-header"', "</header>")
    buttons = re.findall(r"<button[^>]*data-disclosure[^>]*>", header)
    controls = sorted(re.search(r'aria-controls="([^"]+)"', b).group(1) for b in buttons)
    assert controls == ["site-search", "site-tools site-nav"]
    assert all('aria-expanded="false"' in b and 'type="button"' in b for b in buttons)
    for panel in ("site-search", "site-tools", "site-nav"):
        assert re.search(rf'id="{panel}"[^>]*data-foldable', header), panel
    # The script that folds them is a file (the CSP allows no inline script), loaded before
    # the page is drawn so that the folded header does not flash open.
    head = section(content, "<head>", "</head>")
    assert re.search(r'<script src="[^"]*js/disclosure\.js"></script>', head)


def test_the_feedback_channel_card_links_to_the_form_and_the_chat_card_to_the_chat(client):
    seed_contacts()
    content = client.get("/").content.decode()
    channels = section(content, 'id="channels"', "</section>")
    assert '<a href="/support/feedback/">Форма обратной связи</a>' in channels
    # The chat card leads to the chat itself (its hours are on the chat page too).
    assert '<a href="/support/chat/">Онлайн-чат</a>' in channels
    footer = section(content, '<footer class="site-footer"', "</footer>")
    assert '<a href="/support/feedback/">Форма обратной связи</a>' in footer


def rows(content: str) -> dict[str, str]:
    """The appeals list's rows by appeal number."""
    tbody = section(content, "<tbody>", "</tbody>")
    found = {}
    for row in re.findall(r"<tr>(.*?)</tr>", tbody, re.S):
        number = re.search(r">(\d{8})</a>", row).group(1)
        found[number] = row
    return found


def test_my_appeals_says_in_words_which_answer_is_overdue(
    client, citizen, django_assert_max_num_queries
):
    today = timezone.localdate()
    late = appeal_make(author=citizen, subject="Ответ опоздал")
    due_soon = appeal_make(author=citizen, subject="Ещё есть время")
    answered_late = appeal_make(author=citizen, subject="Ответили после срока")
    in_progress_late = appeal_make(author=citizen, subject="В работе и опоздал")
    past = today - datetime.timedelta(days=2)
    Appeal.objects.filter(pk=late.pk).update(due_date=past)
    Appeal.objects.filter(pk=due_soon.pk).update(due_date=today)
    Appeal.objects.filter(pk=answered_late.pk).update(due_date=past, status=Status.ANSWERED)
    Appeal.objects.filter(pk=in_progress_late.pk).update(due_date=past, status=Status.IN_PROGRESS)
    client.force_login(citizen)

    with django_assert_max_num_queries(6):
        content = client.get(MY_APPEALS).content.decode()

    by_number = rows(content)
    assert "Срок истёк" in by_number[late.number]
    assert "Срок истёк" in by_number[in_progress_late.number]
    # Due today is not late yet; an answered appeal is not waiting for anyone.
    assert "Срок истёк" not in by_number[due_soon.number]
    assert "Срок истёк" not in by_number[answered_late.number]


def test_every_cell_of_my_appeals_names_its_column_for_the_stacked_phone_layout(client, citizen):
    appeal_make(author=citizen)
    client.force_login(citizen)
    content = client.get(MY_APPEALS).content.decode()
    headers = re.findall(r'<th scope="col">([^<]+)</th>', content)
    assert headers == ["Номер", "Вопрос", "Статус", "Ответ до"]
    (row,) = rows(content).values()
    assert re.findall(r'<td data-label="([^"]+)"', row) == headers
    assert row.count("<td") == len(headers)


def test_every_cell_of_the_operator_queue_names_its_column(client, citizen):
    from tests.support.appeals.factories import operator_make

    appeal_make(author=citizen)
    client.force_login(operator_make())
    content = client.get("/support/operator/appeals/").content.decode()
    headers = re.findall(r'<th scope="col">([^<]+)</th>', content)
    assert headers == ["Номер", "Ответ до", "Вопрос", "Статус", "Оператор"]
    row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", content, re.S).group(1)
    assert re.findall(r'<td data-label="([^"]+)"', row) == headers


def test_every_cell_of_my_applications_names_its_column(client, citizen):
    from tests.portal.application_factories import application

    application(user=citizen)
    appeal_make(author=citizen)
    client.force_login(citizen)
    content = client.get(MINE).content.decode()
    headers = re.findall(r'<th scope="col">([^<]+)</th>', content)
    assert headers == ["Номер", "Вид", "Что", "Статус", "Изменено", "Ожидаемая дата"]
    tbody = section(content, "<tbody>", "</tbody>")
    for row in re.findall(r"<tr>(.*?)</tr>", tbody, re.S):
        assert re.findall(r'<td data-label="([^"]+)"', row) == headers
