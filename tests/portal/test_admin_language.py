"""The admin's sentences read right in Russian for a model name of any gender.

Django's Russian puts the model's name where Russian needs the accusative and a masculine
past tense («Выберите группа синонимов», «Статья … был успешно изменен»); the project's own
catalogue (locale/ru) rewords those sentences so that the name never has to decline.
"""

import html
import re

import pytest
from django.contrib.messages import get_messages

from faq.models import SynonymGroup
from portal.workcalendar.models import CalendarException
from support.appeals.models import Topic
from tests.faq.factories import ArticleFactory
from tests.portal.catalogue_factories import ServiceFactory
from tests.support.appeals.factories import TopicFactory, appeal_make

pytestmark = pytest.mark.django_db

UNGRAMMATICAL = [
    "Выберите группа",
    "Выберите тема",
    "Выберите статья",
    "Выберите услуга",
    "Добавить группа",
    "Добавить тема",
    "Добавить статья",
    "Добавить услуга",
    "Изменить статья",
    "был успешно",
    "был изменен",
    # Django's own count before the name ("1 темы обращений"); the action's «Удалить
    # выбранное: темы обращений» reads right.
    "1 темы обращений",
]


def title(response) -> str:
    match = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
    return html.unescape(re.sub(r"\s+", " ", match.group(1))).strip()


def page_text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def flashed(response) -> str:
    """The newest message (the admin links the object's name to its page)."""
    return [re.sub(r"<[^>]+>", "", str(m)) for m in get_messages(response.wsgi_request)][-1]


def assert_reads_well(response):
    content = response.content.decode()
    for phrase in UNGRAMMATICAL:
        assert phrase not in content


@pytest.mark.parametrize(
    ("changelist", "name"),
    [
        ("/admin/faq/article/", "статья"),
        ("/admin/faq/synonymgroup/", "группа синонимов"),
        ("/admin/appeals/topic/", "тема обращений"),
        ("/admin/appeals/appeal/", "обращение"),
        ("/admin/catalogue/service/", "услуга"),
        ("/admin/workcalendar/calendarexception/", "исключение календаря"),
    ],
)
def test_changelist_and_add_titles(admin_client, changelist, name):
    response = admin_client.get(changelist)
    assert response.status_code == 200
    assert title(response).startswith(f"Выбор для изменения: {name} | ")
    assert_reads_well(response)
    if changelist != "/admin/appeals/appeal/":  # appeals come only from citizens
        assert f"Добавить: {name}" in page_text(response)
        add = admin_client.get(f"{changelist}add/")
        assert title(add).startswith(f"Добавление: {name} | ")
        assert_reads_well(add)


def test_the_count_under_a_changelist_needs_no_plural_forms(admin_client):
    TopicFactory.create_batch(5)
    count = Topic.objects.count()  # the letters' topic from the migrations too
    text = page_text(admin_client.get("/admin/appeals/topic/"))
    assert f"Темы обращений: {count}" in text
    assert f"{count} темы обращений" not in text


def test_change_pages_of_several_genders(admin_client):
    pages = {
        f"/admin/faq/article/{ArticleFactory().pk}/change/": "Изменение: статья",
        f"/admin/catalogue/service/{ServiceFactory().pk}/change/": "Изменение: услуга",
        f"/admin/appeals/topic/{TopicFactory().pk}/change/": "Изменение: тема обращений",
    }
    for url, expected in pages.items():
        response = admin_client.get(url)
        assert expected in title(response)
        assert_reads_well(response)
    appeal = appeal_make()
    response = admin_client.get(f"/admin/appeals/appeal/{appeal.pk}/change/")
    assert re.search(r"\| (Изменение|Просмотр): обращение \|", title(response))


def test_added_and_changed_messages(admin_client):
    response = admin_client.post(
        "/admin/faq/synonymgroup/add/", {"terms": "ЕСИА\nучётная запись", "note": ""}
    )
    assert response.status_code == 302
    group = SynonymGroup.objects.get()
    assert flashed(response) == (f"Добавлено: группа синонимов «{group}».")

    topic = TopicFactory(name="Оплата", slug="payment")
    data = {
        "slug": "payment",
        "name": "Оплата и возврат",
        "description": "",
        "deadline_days": 5,
        "clarification_days": 10,
        "interagency_days": 30,
        "order": 0,
        "is_active": "on",
    }
    response = admin_client.post(f"/admin/appeals/topic/{topic.pk}/change/", data)
    assert response.status_code == 302
    assert flashed(response) == ("Изменения сохранены: тема обращений «Оплата и возврат».")

    response = admin_client.post(
        f"/admin/appeals/topic/{topic.pk}/change/", {**data, "_continue": "1"}
    )
    assert flashed(response) == (
        "Изменения сохранены: тема обращений «Оплата и возврат». "
        "Ниже можно продолжить редактирование."
    )


def test_deleted_message_and_confirmation(admin_client):
    service = ServiceFactory(title="Справка о несудимости")
    url = f"/admin/catalogue/service/{service.pk}/delete/"
    confirmation = page_text(admin_client.get(url))
    assert f"Удалить запись «{service}» (услуга)?" in confirmation
    response = admin_client.post(url, {"post": "yes"})
    assert flashed(response) == (f"Удалено: услуга «{service}».")


def test_list_editable_message_and_bulk_delete(admin_client):
    Topic.objects.all().delete()  # the list holds exactly the two posted (no letters' topic)
    topics = TopicFactory.create_batch(2)
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "_save": "Сохранить",
    }
    for i, topic in enumerate(topics):
        data |= {f"form-{i}-id": topic.pk, f"form-{i}-order": 7, f"form-{i}-is_active": "on"}
    response = admin_client.post("/admin/appeals/topic/", data)
    assert flashed(response) == ("Изменения сохранены: темы обращений — 2.")
    assert set(Topic.objects.values_list("order", flat=True)) == {7}

    exception = CalendarException.objects.create(date="2030-01-10", is_working_day=True)
    response = admin_client.post(
        "/admin/workcalendar/calendarexception/",
        {"action": "delete_selected", "_selected_action": [exception.pk], "post": "yes"},
    )
    assert flashed(response) == ("Удалено: исключение календаря — 1.")


def test_the_english_admin_reads_as_django_wrote_it(admin_client):
    admin_client.cookies["django_language"] = "en"
    response = admin_client.get("/admin/appeals/topic/")
    assert title(response).startswith("Select appeal topic to change | ")
    topic = TopicFactory(name="Оплата", slug="payment")
    response = admin_client.post(
        f"/admin/appeals/topic/{topic.pk}/delete/", {"post": "yes"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert flashed(response) == ("The appeal topic “Оплата” was deleted successfully.")
