"""Technical works in the reader's language: the banner, the page, the feed and the admin
serve the English texts where an editor wrote them, and the Russian ones, marked, where not."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from support.maintenance.demo import seed_technical_works
from support.maintenance.models import TechnicalWork
from tests.portal.catalogue_factories import ServiceFactory

pytestmark = pytest.mark.django_db

MARKER = "Not yet translated — shown in Russian"
ATOM = "{http://www.w3.org/2005/Atom}"


def work_make(*, starts: datetime.timedelta, english: bool, **kwargs) -> TechnicalWork:
    start = timezone.now() + starts
    texts = {
        "title": "Обновление личного кабинета",
        "description": "Вход будет недоступен.",
        "started_work": "Черновики сохранятся.",
        "unavailable": "вход на портал",
    }
    if english:
        texts |= {
            "title_en": "Personal account update",
            "description_en": "Signing in will be unavailable.",
            "started_work_en": "Drafts will be kept.",
            "unavailable_en": "signing in",
        }
    return TechnicalWork.objects.create(
        starts_at=start, ends_at=start + datetime.timedelta(hours=2), **(texts | kwargs)
    )


def english(client, url: str = "/help/faq/") -> str:
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def russian(client, url: str = "/help/faq/") -> str:
    return client.get(url, HTTP_ACCEPT_LANGUAGE="ru").content.decode()


def test_the_banner_of_works_going_on_reads_in_english(client):
    work_make(starts=-datetime.timedelta(hours=1), english=True)
    html = english(client)
    assert "Technical works in progress: <span>Personal account update</span></h2>" in html
    assert "<p>Drafts will be kept.</p>" in html
    assert "Обновление личного кабинета" not in html and "Черновики" not in html
    # The same cached works, read by a Russian reader next, are in Russian.
    html = russian(client)
    assert "<span>Обновление личного кабинета</span></h2>" in html
    assert "Personal account update" not in html


def test_the_banner_ahead_says_what_will_be_unavailable_in_english(client):
    work_make(starts=datetime.timedelta(hours=2), english=True)
    html = english(client)
    assert "Unavailable: <span>signing in</span>." in html
    assert "вход на портал" not in html


def test_an_untranslated_work_falls_back_to_russian_in_the_banner_marked(client):
    work_make(starts=-datetime.timedelta(hours=1), english=False)
    html = english(client)
    assert 'Technical works in progress: <span lang="ru">Обновление личного кабинета</span>' in html
    assert '<p lang="ru">Черновики сохранятся.</p>' in html


def test_each_text_falls_back_on_its_own(client):
    work = work_make(starts=datetime.timedelta(hours=2), english=False)
    work.title_en = "Personal account update"  # the title translated, the rest not yet
    work.save()
    html = english(client)
    assert 'Unavailable: <span lang="ru">вход на портал</span>.' in html
    assert ": <span>Personal account update</span></span></a>" in html


def test_the_works_page_reads_in_english_without_the_marker(client):
    service = ServiceFactory(title="Запись к врачу", title_en="Making a doctor's appointment")
    work = work_make(starts=datetime.timedelta(days=1), english=True)
    work.services.add(service)
    html = english(client, reverse("support:status"))
    assert f'<h3 class="card__title" id="work-{work.pk}-title">Personal account update</h3>' in html
    assert "<p>Signing in will be unavailable.</p>" in html
    assert "<p>Drafts will be kept.</p>" in html
    assert "<dd>Signing in</dd>" in html
    assert "<dt>Starts</dt>" in html  # when the works start, not the site's "Home"
    assert "Making a doctor&#x27;s appointment</a>" in html
    assert MARKER not in html
    assert "Обновление личного кабинета" not in html


def test_an_untranslated_work_on_the_page_is_in_russian_marked(client):
    work = work_make(starts=datetime.timedelta(days=1), english=False)
    html = english(client, reverse("support:status"))
    assert f'id="work-{work.pk}-title" lang="ru">Обновление личного кабинета</h3>' in html
    assert MARKER in html
    assert '<p lang="ru">Вход будет недоступен.</p>' in html
    assert '<dd lang="ru">Вход на портал</dd>' in html
    # The Russian page has nothing to mark.
    html = russian(client, reverse("support:status"))
    assert "Перевод пока не готов" not in html and 'lang="ru">Обновление' not in html


def test_the_feed_follows_the_readers_language(client):
    work_make(starts=datetime.timedelta(days=1), english=True)
    work_make(starts=datetime.timedelta(days=2), english=False, title="Другие работы")

    def entries(language: str) -> list[tuple[str, str]]:
        response = client.get(reverse("support:status-feed"), HTTP_ACCEPT_LANGUAGE=language)
        root = ET.fromstring(response.content)
        return [
            (entry.find(f"{ATOM}title").text, entry.find(f"{ATOM}summary").text)
            for entry in root.findall(f"{ATOM}entry")
        ]

    (untranslated, translated) = entries("en")
    assert untranslated[0] == "Другие работы"
    assert translated[0] == "Personal account update"
    assert "Signing in will be unavailable." in translated[1]
    assert "Drafts will be kept." in translated[1] and "Черновики" not in translated[1]
    assert [title for title, _ in entries("ru")] == ["Другие работы", "Обновление личного кабинета"]


def test_the_admin_edits_both_languages_side_by_side(client, editor):
    work = work_make(starts=datetime.timedelta(days=1), english=False)
    client.force_login(editor)
    url = reverse("admin:maintenance_technicalwork_change", args=[work.pk])
    html = client.get(url).content.decode()
    for field in ("title", "description", "started_work", "unavailable"):
        assert html.index(f'name="{field}_en"') > html.index(f'name="{field}_ru"')
    start = timezone.localtime(work.starts_at)
    end = timezone.localtime(work.ends_at)
    data = {
        "title_ru": work.title_ru,
        "title_en": "Personal account update",
        "description_ru": work.description_ru,
        "description_en": "Signing in will be unavailable.",
        "started_work_ru": work.started_work_ru,
        "started_work_en": "",
        "unavailable_ru": work.unavailable_ru,
        "starts_at_0": start.strftime("%d.%m.%Y"),
        "starts_at_1": start.strftime("%H:%M:%S"),
        "ends_at_0": end.strftime("%d.%m.%Y"),
        "ends_at_1": end.strftime("%H:%M:%S"),
        "announce_hours": "24",
        "is_published": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    work.refresh_from_db()
    assert (work.title_ru, work.title_en) == (
        "Обновление личного кабинета",
        "Personal account update",
    )
    assert work.description_en == "Signing in will be unavailable."
    assert not work.started_work_en
    # Saved through the action: the English banner has it at once.
    assert "Personal account update" in english(Client(), reverse("support:status"))
    # The history keeps each language's text.
    assert work.history.first().title_en == "Personal account update"
    history = reverse("admin:maintenance_technicalwork_history", args=[work.pk])
    assert client.get(history).status_code == 200
    # Without its Russian title the work is refused and nothing is changed.
    response = client.post(url, data | {"title_ru": "", "title_en": "Only English"})
    assert response.status_code == 200
    assert "title_ru" in response.context["adminform"].form.errors
    work.refresh_from_db()
    assert work.title_en == "Personal account update"


def test_the_demo_works_have_their_english_texts():
    with translation.override("en"):  # the Russian originals are written whatever is active
        assert seed_technical_works() == 2
        assert seed_technical_works() == 2  # and found again, not doubled
    assert TechnicalWork.objects.count() == 2
    work = TechnicalWork.objects.get(title_ru="Обновление личного кабинета")
    assert work.title_en == "Personal account update"
    assert work.description_en.startswith("We are updating the personal account")
    assert work.started_work_en.startswith("Draft applications will be kept")
    assert work.unavailable_en.startswith("signing in")
    assert work.description_ru.startswith("Обновляем личный кабинет")
