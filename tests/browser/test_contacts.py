"""Contacts, escalation and technical works in a real browser: axe, 320 px, the banner."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PAGES = ["/support/contacts/", "/support/escalation/", "/support/status/"]
SCREENSHOTS = ""  # a folder path keeps screenshots of every page while developing


def no_horizontal_scroll(page: Page) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    wide = page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth + 0.5;
            return [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > width)
                .slice(0, 5)
                .map(el => el.tagName + '.' + el.className + ' ' + el.textContent.slice(0, 40));
        }"""
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at 320 px: {wide}"


def shoot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


@pytest.fixture
def load_history(demo_data):
    from support.demo_load import seed_load_history

    seed_load_history()


@pytest.fixture
def active_work(load_history):
    from support.maintenance.actions import technical_works_changed
    from support.maintenance.models import TechnicalWork

    now = timezone.now()
    work = TechnicalWork.objects.create(
        title="Обновление платёжного шлюза",
        description="Оплата госпошлин временно недоступна.",
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=2),
        started_work="Начатые платежи не спишутся: повторите оплату после окончания работ.",
    )
    technical_works_changed()
    return work


def test_new_pages_pass_axe_in_both_modes_and_fit_320px(
    page: Page, live_url, active_work, assert_accessible, accessibility_mode
):
    for path in PAGES:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(live_url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(f"{path} normal")
        shoot(page, "desktop" + path.replace("/", "_"))
        page.set_viewport_size({"width": 320, "height": 800})
        page.reload()
        shoot(page, "320" + path.replace("/", "_"))
        no_horizontal_scroll(page)
    accessibility_mode()
    for path in PAGES:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(live_url + path)
        assert_accessible(f"{path} accessibility mode")
        page.set_viewport_size({"width": 320, "height": 800})
        page.reload()
        no_horizontal_scroll(page)
        shoot(page, "a11y-320" + path.replace("/", "_"))


def test_region_filter_and_map_link_without_javascript(browser, live_url, demo_data):
    context = browser.new_context(java_script_enabled=False, locale="ru-RU")
    page = context.new_page()
    page.goto(live_url + "/support/contacts/")
    page.get_by_label("Регион", exact=True).select_option(label="Республика Татарстан")
    page.get_by_role("button", name="Показать").click()
    expect(page.get_by_role("status").filter(has_text="офис")).to_have_text("Найден 1 офис")
    offices = page.get_by_role("heading", level=3, name="Представительство в Республике Татарстан")
    expect(offices).to_be_visible()
    link = page.get_by_role(
        "link", name="Показать на карте (Представительство в Республике Татарстан)"
    )
    assert link.get_attribute("href").startswith("https://www.openstreetmap.org/?mlat=55.789400")
    context.close()


def test_banner_hides_with_htmx_and_stays_hidden(page: Page, live_url, active_work):
    page.goto(live_url + "/help/faq/")
    banner = page.get_by_role("region", name="Идут технические работы: Обновление платёжного шлюза")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("по московскому времени")
    url = page.url
    banner.get_by_role("button", name="Скрыть это сообщение").click()
    expect(banner).to_have_count(0)
    assert page.url == url  # htmx swapped it out in place
    page.goto(live_url + "/")
    expect(
        page.get_by_role("region", name="Идут технические работы: Обновление платёжного шлюза")
    ).to_have_count(0)


def test_hub_links_each_channel_to_its_place(page: Page, live_url, demo_data):
    page.goto(live_url + "/")
    page.get_by_role("link", name="Форма обратной связи").first.click()
    expect(page).to_have_url(live_url + "/support/feedback/")
    page.goto(live_url + "/")
    page.get_by_role("main").get_by_role("link", name="Линия консультаций по услугам").click()
    expect(page).to_have_url(__import__("re").compile(r"/support/contacts/#channel-\d+$"))
    expect(page.get_by_role("heading", name="Голосовое меню").first).to_be_visible()
