"""The site in English on a phone (320 px), content included: a citizen switches to English
with the header's switcher and reads the hub, an article, a service found by an English
search and the contacts in English; an article not yet translated says so and is marked
Russian for screen readers. axe and no sideways scrolling in both modes."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_no_sideways_scroll, screenshot

pytestmark = pytest.mark.browser

MARKER = "Not yet translated — shown in Russian"


def check(page: Page, assert_accessible, name: str) -> None:
    assert_accessible(name)
    assert_no_sideways_scroll(page, name)
    screenshot(page, name)


@pytest.mark.parametrize("mode", ["normal", "accessible"])
def test_english_content_on_a_phone(
    page: Page, live_url, demo_data, assert_accessible, accessibility_mode, mode
):
    if mode == "accessible":
        accessibility_mode()
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_url + "/")
    if mode == "accessible":
        expect(page.locator("html")).to_have_class(re.compile(r"\ba11y\b"))

    # Switched the way a citizen does: the header's menu, then «English».
    page.get_by_role("button", name="Меню").click()
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # The hub: the topics and the popular questions in English.
    popular = page.get_by_role("region", name="Popular questions")
    expect(popular.get_by_role("link", name="How to reset your password")).to_be_visible()
    topics = page.get_by_role("region", name="Topics")
    expect(topics.get_by_role("link", name="Registration and signing in")).to_be_visible()
    expect(page.get_by_text("Как восстановить пароль")).to_have_count(0)
    check(page, assert_accessible, f"english-hub-{mode}")

    # A translated article: English throughout, no marker.
    popular.get_by_role("link", name="How to reset your password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How to reset your password")
    expect(page.get_by_role("heading", name="What the new password must be like")).to_be_visible()
    expect(page.get_by_text(MARKER)).to_have_count(0)
    check(page, assert_accessible, f"english-article-{mode}")

    # A topic mixes translated and untranslated articles; the untranslated one says so.
    page.goto(live_url + "/help/faq/contact/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Contacting support")
    untranslated = page.get_by_role(
        "link", name="Как отправить обращение через форму обратной связи"
    )
    expect(untranslated).to_have_attribute("lang", "ru")
    expect(untranslated.locator("xpath=..")).to_contain_text("in Russian")
    check(page, assert_accessible, f"english-topic-{mode}")
    untranslated.click()
    expect(page.get_by_role("note").filter(has_text=MARKER)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_attribute("lang", "ru")
    check(page, assert_accessible, f"english-untranslated-article-{mode}")

    # A service found by an English search, read in English.
    page.goto(live_url + "/services/?q=doctor+appointment")
    page.get_by_role("link", name="Making a doctor's appointment").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Making a doctor's appointment")
    expect(page.get_by_text("Free under OMS")).to_be_visible()
    expect(page.get_by_role("heading", name="Step by step")).to_be_visible()
    expect(page.get_by_text(MARKER)).to_have_count(0)
    check(page, assert_accessible, f"english-service-{mode}")

    # The contacts: the channels' names and notes in English.
    page.goto(live_url + "/support/contacts/")
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", name="Single contact centre")).to_be_visible()
    expect(
        main.get_by_text("Free across Russia. The voice menu first, then an operator.")
    ).to_have_count(1)
    expect(main.get_by_text("Единый контакт-центр")).to_have_count(0)
    check(page, assert_accessible, f"english-contacts-{mode}")
