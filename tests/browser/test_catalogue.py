"""The service catalogue in a real browser: keyboard only, history, no JavaScript, the PDF."""

import io
import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.conftest import tab_to

pytestmark = pytest.mark.browser


def params(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def status(page: Page):
    return page.locator("#catalogue-status")


def test_citizen_finds_narrows_opens_and_downloads_with_the_keyboard_only(
    page: Page, live_url, demo_data, assert_accessible
):
    page.goto(live_url + "/services/")
    tab_to(page, page.locator("#catalogue-q"), presses=80)
    page.keyboard.type("справку о несудимост")
    page.keyboard.press("Enter")
    expect(status(page)).to_have_text(
        re.compile(r"^Найдена 1 услуга по запросу «справку о несудимост»")
    )
    assert params(page) == {"q": ["справку о несудимост"]}
    expect(page).to_have_title(re.compile(r"^Услуги: справку о несудимост"))

    # The region list is long: type part of a name in the box above it and press Enter.
    tab_to(page, page.locator("#catalogue-region-filter"), presses=80)
    page.keyboard.type("татар")
    expect(page.locator("[data-region-filter-status]")).to_have_text("Подходящих регионов: 1")
    page.keyboard.press("Enter")
    expect(status(page)).to_contain_text("Республика Татарстан")
    expect(page).to_have_url(re.compile(r"region=16"))
    expect(page.locator("#catalogue-region")).to_have_value("16")
    expect(page.locator("#catalogue-region")).to_be_focused()
    assert_accessible("catalogue after region filter")

    # On to the result: Tab from the region list reaches it.
    result = page.get_by_role("link", name="Справка о несудимости")
    tab_to(page, result)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Справка о несудимости")
    assert_accessible("service page")

    memo = page.get_by_role("link", name="Скачать памятку (PDF)")
    tab_to(page, memo)
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    download = download_info.value
    assert download.suggested_filename == "pamyatka-usluga-10020001.pdf"
    with open(download.path(), "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))
    assert "Справка о несудимости" in text
    assert "Какие документы нужны" in text
    assert "Паспорт гражданина РФ" in text


def test_the_native_region_list_works_with_arrow_keys(page: Page, live_url, demo_data):
    page.goto(live_url + "/services/?q=пособие")
    before = status(page).text_content()
    tab_to(page, page.locator("#catalogue-region"), presses=80)
    page.keyboard.press("ArrowDown")  # the first region after "Все регионы"
    expect(page).to_have_url(re.compile(r"region=01"))
    expect(status(page)).to_contain_text("Республика Адыгея")
    expect(page.locator("#catalogue-region")).to_be_focused()
    assert status(page).text_content() != before


def test_reload_and_back_keep_the_results(page: Page, live_url, demo_data):
    page.goto(live_url + "/services/?q=паспорт")
    first_status = status(page).text_content()
    first_titles = page.locator(".result__title").all_text_contents()

    page.get_by_label(re.compile(r"^Изменить данные")).check()
    expect(page).to_have_url(re.compile(r"type=change"))
    expect(status(page)).not_to_have_text(first_status or "")
    filtered_status = status(page).text_content()
    filtered_titles = page.locator(".result__title").all_text_contents()
    assert filtered_titles and filtered_titles != first_titles

    page.reload()
    expect(status(page)).to_have_text(filtered_status or "")
    expect(page.get_by_label(re.compile(r"^Изменить данные"))).to_be_checked()
    assert page.locator(".result__title").all_text_contents() == filtered_titles

    page.go_back()
    expect(page).not_to_have_url(re.compile(r"type="))
    expect(status(page)).to_have_text(first_status or "")
    expect(page.get_by_label(re.compile(r"^Все типы"))).to_be_checked()
    assert page.locator(".result__title").all_text_contents() == first_titles

    page.go_forward()
    expect(page).to_have_url(re.compile(r"type=change"))
    expect(status(page)).to_have_text(filtered_status or "")


def test_next_page_moves_focus_to_the_results(page: Page, live_url, demo_data):
    page.goto(live_url + "/services/")
    expect(status(page)).to_contain_text("Страница 1 из")
    page.get_by_role("link", name="Следующая").click()
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(status(page)).to_contain_text("Страница 2 из")
    expect(page.locator("#catalogue-results-title")).to_be_focused()


def test_the_same_search_works_without_javascript(
    browser, browser_context_args, live_url, demo_data
):
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_url + "/services/")
        expect(page.locator("[data-region-filter]")).to_be_hidden()
        page.get_by_label("Название услуги, слова или номер").fill("справку о несудимост")
        page.locator("#catalogue-region").select_option("16")
        page.get_by_role("button", name="Применить фильтры").click()
        expect(page).to_have_url(re.compile(r"region=16"))
        assert params(page)["q"] == ["справку о несудимост"]
        expect(status(page)).to_have_text(
            re.compile(r"^Найдена 1 услуга по запросу «справку о несудимост», Республика Татарстан")
        )
        no_js_titles = page.locator(".result__title").all_text_contents()
        assert no_js_titles == ["Справка о несудимости"]

        page.get_by_label(re.compile(r"^Получить справку")).check()
        page.get_by_role("button", name="Применить фильтры").click()
        expect(page).to_have_url(re.compile(r"type=certificate"))

        page.get_by_label("Название услуги, слова или номер").fill("10020001")
        page.get_by_label("Название услуги, слова или номер").press("Enter")
        expect(page).to_have_url(re.compile(r"/services/10020001/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Справка о несудимости")
    finally:
        context.close()


def test_a_number_typed_with_javascript_opens_the_service(page: Page, live_url, demo_data):
    page.goto(live_url + "/services/")
    page.get_by_label("Название услуги, слова или номер").fill("10030001")
    page.get_by_label("Название услуги, слова или номер").press("Enter")
    expect(page).to_have_url(re.compile(r"/services/10030001/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Оплата штрафов ГИБДД")


AXE_PATHS = [
    "/services/",
    "/services/?q=справку+о+несудимост&region=16",
    "/services/?q=квантовый+телепорт",
    "/services/?region=abc&type=999&sort=title&page=2",
    "/services/10020001/",
    "/services/10030006/",
    "/services/99999999/",
]


@pytest.mark.parametrize("mode", ["normal", "accessibility"])
def test_catalogue_pages_pass_axe(demo_data, assert_pages_accessible, accessibility_mode, mode):
    # One seeding for all the pages of a mode: the demo data takes longer than axe.
    if mode == "accessibility":
        accessibility_mode()
    assert_pages_accessible(AXE_PATHS, mode)
