"""Technical works: the page, the banner on every page, hiding it, the Atom feed, the admin."""

import datetime
import xml.etree.ElementTree as ET
import zoneinfo

import pytest
from django.utils import timezone

from support.maintenance.models import ENDS_BEFORE_START, TechnicalWork
from tests.admin_forms import assert_refused
from tests.portal.catalogue_factories import ServiceFactory

pytestmark = pytest.mark.django_db
MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")
ATOM = "{http://www.w3.org/2005/Atom}"


def work_make(*, starts: datetime.timedelta, hours: int = 2, **kwargs) -> TechnicalWork:
    start = timezone.now() + starts
    return TechnicalWork.objects.create(
        title=kwargs.pop("title", "Обновление личного кабинета"),
        description="Вход будет недоступен.",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=hours),
        started_work="Черновики сохранятся.",
        **kwargs,
    )


def banner(client, path: str = "/help/faq/") -> bool:
    return 'id="work-banner-' in client.get(path).content.decode()


def test_banner_while_works_go_on_with_the_time_they_end(client):
    work = work_make(starts=-datetime.timedelta(hours=1))
    content = client.get("/").content.decode()
    assert f'id="work-banner-{work.pk}"' in content and 'role="region"' in content
    end = timezone.localtime(work.ends_at, MOSCOW)
    assert f"в {end:%H:%M} по московскому времени" in content
    assert "Черновики сохранятся." in content


def test_no_banner_before_the_lead_time_after_end_or_unpublished(client):
    work_make(starts=datetime.timedelta(hours=1), announce_hours=0)
    work_make(starts=datetime.timedelta(hours=25))
    work_make(starts=-datetime.timedelta(hours=3), hours=1)
    work_make(starts=-datetime.timedelta(hours=1), is_published=False)
    assert not banner(client)


def test_a_work_ahead_is_announced_from_its_lead_time_with_what_will_not_work(client):
    service = ServiceFactory(title="Оплата госпошлин")
    start = timezone.now() + datetime.timedelta(hours=23, minutes=30)
    work = work_make(starts=start - timezone.now(), hours=3)
    work.services.add(service)
    from support.maintenance.actions import technical_works_changed

    technical_works_changed()
    content = client.get("/help/faq/").content.decode()
    assert f'id="work-banner-{work.pk}"' in content
    assert "Технические работы" in content and "Идут технические работы" not in content
    begins, ends = (
        timezone.localtime(work.starts_at, MOSCOW),
        timezone.localtime(work.ends_at, MOSCOW),
    )
    assert f"{begins:%H:%M}" in content and f"{ends:%H:%M}" in content
    assert "Будут недоступны:" in content and "Оплата госпошлин" in content
    # What happens to started work is the status page's (the banner ahead stays short).
    assert "Черновики сохранятся." not in content
    # The editors' short words win over the list of services.
    work.unavailable = "вход на портал и оплата"
    work.save()
    technical_works_changed()
    content = client.get("/help/faq/").content.decode()
    assert "Будут недоступны: <span>вход на портал и оплата</span>." in content


@pytest.mark.parametrize(
    ("hours_ahead", "announce_hours", "shown"),
    [(23.9, 24, True), (24.1, 24, False), (47, 48, True), (1, 0, False), (0.5, 1, True)],
)
def test_the_lead_time_is_the_editors(client, hours_ahead, announce_hours, shown):
    work_make(starts=datetime.timedelta(hours=hours_ahead), announce_hours=announce_hours)
    assert banner(client) is shown


def test_the_lead_time_has_a_ceiling():
    from django.core.exceptions import ValidationError

    work = TechnicalWork(
        title="Долгие работы",
        description="—",
        starts_at=timezone.now(),
        ends_at=timezone.now() + datetime.timedelta(hours=1),
        started_work="—",
        announce_hours=15 * 24,
    )
    with pytest.raises(ValidationError) as caught:
        work.full_clean()
    assert "announce_hours" in caught.value.message_dict


def test_hiding_the_warning_ahead_does_not_hide_the_works_once_they_start(client):
    from support.maintenance.actions import technical_work_dismiss
    from support.maintenance.selectors import technical_works_banner

    work = work_make(starts=datetime.timedelta(hours=2))
    response = client.post(f"/support/status/{work.pk}/dismiss/", {"next": "/help/faq/"})
    assert response.status_code == 302
    assert not banner(client)
    session = client.session
    during = work.starts_at + datetime.timedelta(minutes=5)
    shown = technical_works_banner(dismissed=[], dismissed_ahead=[work.pk], now=during)
    assert [(item.work.pk, item.ahead) for item in shown] == [(work.pk, False)]
    # Hidden while the works go on: hidden for good.
    technical_work_dismiss(session=session, work_id=work.pk, now=during)
    from support.maintenance.selectors import dismissed_works

    assert dismissed_works(session) == [work.pk]
    assert dismissed_works(session, ahead=True) == [work.pk]


def test_dismissed_banner_stays_hidden_for_the_session_without_js(client):
    work = work_make(starts=-datetime.timedelta(hours=1))
    response = client.post(f"/support/status/{work.pk}/dismiss/", {"next": "/help/faq/"})
    assert response.status_code == 302 and response["Location"] == "/help/faq/"
    assert not banner(client) and not banner(client, "/")
    # Another visitor still sees it.
    from django.test import Client

    assert banner(Client())


def test_dismiss_with_htmx_returns_nothing_to_swap(client):
    work = work_make(starts=-datetime.timedelta(hours=1))
    response = client.post(f"/support/status/{work.pk}/dismiss/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response.content == b""
    assert not banner(client)


def test_dismiss_refuses_foreign_redirects_and_unknown_works(client):
    work = work_make(starts=-datetime.timedelta(hours=1))
    response = client.post(f"/support/status/{work.pk}/dismiss/", {"next": "https://evil.example/"})
    assert response["Location"] == "/support/status/"
    assert client.post("/support/status/999999/dismiss/").status_code == 404
    assert client.get(f"/support/status/{work.pk}/dismiss/").status_code == 405


def test_dismiss_needs_csrf():
    from django.test import Client

    work = work_make(starts=-datetime.timedelta(hours=1))
    client = Client(enforce_csrf_checks=True)
    assert client.post(f"/support/status/{work.pk}/dismiss/").status_code == 403


def test_new_work_shows_at_once_after_an_admin_save(admin_client, settings):
    from django.test import Client

    settings.MAINTENANCE_BANNER_CACHE_SECONDS = 60
    visitor = Client()
    assert not banner(visitor)  # now cached as "nothing"
    start = timezone.localtime(timezone.now() - datetime.timedelta(minutes=5), MOSCOW)
    end = start + datetime.timedelta(hours=2)
    response = admin_client.post(
        "/admin/maintenance/technicalwork/add/",
        {
            "title_ru": "Срочные работы",
            "description_ru": "Сбой оплаты.",
            "starts_at_0": start.strftime("%d.%m.%Y"),
            "starts_at_1": start.strftime("%H:%M:%S"),
            "ends_at_0": end.strftime("%d.%m.%Y"),
            "ends_at_1": end.strftime("%H:%M:%S"),
            "started_work_ru": "Платежи не списываются.",
            "announce_hours": "24",
            "is_published": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert banner(visitor)


def test_admin_refuses_works_ending_before_they_start(client, editor):
    client.force_login(editor)
    response = client.post(
        "/admin/maintenance/technicalwork/add/",
        {
            "title_ru": "Ошибка",
            "description_ru": "—",
            "starts_at_0": "26.11.2026",
            "starts_at_1": "05:00:00",
            "ends_at_0": "26.11.2026",
            "ends_at_1": "01:00:00",
            "started_work_ru": "—",
        },
    )
    assert_refused(response, ENDS_BEFORE_START, TechnicalWork)


def test_status_page_says_when_back_and_what_happens_and_links_the_feed(client):
    service = ServiceFactory(title="Загранпаспорт")
    planned = work_make(starts=datetime.timedelta(days=1), title="Плановые работы")
    planned.services.add(service)
    work_make(starts=-datetime.timedelta(days=3), title="Прошедшие работы")
    content = client.get("/support/status/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in content
    assert 'href="/support/status/feed/"' in content
    assert "Сейчас всё работает" in content
    assert "Плановые работы" in content and "Загранпаспорт" in content
    assert "Что будет с тем, что вы начали" in content and "Черновики сохранятся." in content
    assert "Снова заработает" in content and "(мск)" in content
    assert "Прошедшие работы" in content


def test_feed_is_valid_atom_with_every_published_work(client):
    one = work_make(starts=datetime.timedelta(days=1), title="Первые работы")
    work_make(starts=datetime.timedelta(days=2), title="Вторые работы")
    work_make(starts=datetime.timedelta(days=3), title="Черновик", is_published=False)
    response = client.get("/support/status/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Вторые работы", "Первые работы"]
    first = entries[1]
    assert first.find(f"{ATOM}link").get("href").endswith(f"/support/status/#work-{one.pk}")
    assert "время московское" in first.find(f"{ATOM}summary").text
    assert first.find(f"{ATOM}id").text == f"technical-work-{one.pk}"
    assert first.find(f"{ATOM}updated").text
