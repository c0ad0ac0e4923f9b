"""A service page at 320 px: «Получить услугу» on the first screens (the department's
e-service, or the form with the service and topic filled in), and the price never breaks."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_no_sideways_scroll, screenshot

pytestmark = pytest.mark.browser

PHONE = {"width": 320, "height": 568}

# How many lines a piece of text takes inside an element (1: it never breaks).
LINES_JS = """([selector, text]) => {
  const root = document.querySelector(selector);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(text);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + text.length);
    return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
  }
  return 0;
}"""


@pytest.mark.parametrize("width", [320, 390])
@pytest.mark.parametrize("mode", ["normal", "accessible"])
def test_the_e_service_action_and_a_whole_price(
    page: Page, live_url, demo_data, assert_accessible, accessibility_mode, mode, width
):
    if mode == "accessible":
        accessibility_mode()
    page.set_viewport_size({"width": width, "height": 568})
    page.goto(live_url + "/services/10010003/")
    action = page.get_by_role("link", name="Получить услугу")
    expect(action).to_be_visible()
    expect(action).to_have_attribute("href", "https://www.gosuslugi.ru/10005/1")
    expect(page.locator("#service-apply")).to_contain_text("на сайте ведомства: www.gosuslugi.ru")
    for price in ("15\u00a0000\u00a0₽", "7\u00a0500\u00a0₽"):
        assert page.evaluate(LINES_JS, [".service-facts", price]) == 1, price
    assert_no_sideways_scroll(page, f"service page ({mode}, {width})")
    assert_accessible(f"service page ({mode}, {width})")
    screenshot(page, f"service-apply-{width}-{mode}")


def test_without_a_link_the_action_fills_in_the_form(page: Page, live_url, demo_data):
    from portal.catalogue.models import Service
    from support.appeals.models import Topic

    service = Service.objects.published().filter(apply_url="", available_online=True).first()
    page.set_viewport_size(PHONE)
    page.goto(live_url + service.get_absolute_url())
    page.get_by_role("link", name="Получить услугу").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Обратная связь")
    expect(page.get_by_text(f"Вопрос об услуге «{service.title}»")).to_be_visible()
    topic = Topic.objects.get(slug="applications")
    expect(page.get_by_label("Тема обращения")).to_have_value(str(topic.pk))
    assert_no_sideways_scroll(page, "feedback form from a service")
