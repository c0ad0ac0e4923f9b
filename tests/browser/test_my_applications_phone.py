"""«Мои заявки» on a phone (320 and 390 px): the filters folded as the catalogue's, the list on
the first screen, «Ожидаемая дата» inside its card, an appeal answered while the citizen
watches kept in «Активные» marked as new until opened, and the header's «Уведомления (N)» live."""

import re

import pytest
from playwright.sync_api import Page, expect

from portal.models import User
from tests.browser.conftest import assert_no_sideways_scroll, login, screenshot

pytestmark = pytest.mark.browser

# Every stacked cell is at least as tall as its name beside the value (a name on two lines
# once ran into the next row's border: «Ожидаемая / дата» struck through).
LABELS_FIT_JS = """() => {
  const short = [];
  for (const cell of document.querySelectorAll('.table--stack td[data-label]')) {
    const probe = document.createElement('span');
    const style = getComputedStyle(cell, '::before');
    if (style.float !== 'left') continue;  // not stacked beside the value
    probe.textContent = cell.dataset.label;
    Object.assign(probe.style, {position: 'absolute', visibility: 'hidden', display: 'block',
      width: style.width, font: style.font, lineHeight: style.lineHeight});
    cell.appendChild(probe);
    const need = probe.getBoundingClientRect().height;
    probe.remove();
    if (cell.getBoundingClientRect().height + 0.5 < need) short.push(cell.dataset.label);
  }
  return short;
}"""


def _answer(browser, browser_context_args, live_url: str, number: str) -> None:
    """The operator answers in the workspace: in the server's process, so the live event
    reaches the citizen's page (the in-memory channel layer is per process)."""
    operator_context = browser.new_context(**browser_context_args)
    try:
        operator = operator_context.new_page()
        login(operator, live_url, "operator", "operator-demo")
        operator.goto(f"{live_url}/support/operator/appeals/{number}/")
        operator.get_by_label("Ответ заявителю").fill("Паспорт готов к выдаче.")
        operator.get_by_role("button", name="Отправить ответ").click()
        expect(operator.get_by_text("Дан ответ").first).to_be_visible()
    finally:
        operator_context.close()


@pytest.mark.parametrize("width", [320, 390])
@pytest.mark.parametrize("mode", ["normal", "accessible"])
def test_my_applications_fit_a_phone_with_the_filters_folded(
    page: Page, live_url, demo_data, assert_accessible, mode, width
):
    if mode == "accessible":
        # Signed in, the mode is the citizen's profile (the cookie is a visitor's).
        User.objects.filter(username="citizen").update(
            a11y_enabled=True, a11y_font_size="large", a11y_scheme="wb", a11y_images=False
        )
    page.set_viewport_size({"width": width, "height": 568})
    login(page, live_url, "citizen", "citizen-demo")
    page.goto(live_url + "/my/applications/")
    if mode == "accessible":
        expect(page.locator("html")).to_have_class(re.compile(r"\ba11y\b"))
    fold = page.locator("details.tracker-fold")
    summary = fold.locator("summary")
    expect(summary).to_contain_text("Фильтры и порядок")
    expect(summary).to_contain_text("(не выбраны)")
    expect(page.get_by_role("group", name="Показать")).to_be_hidden()
    # Folded, the filters take a line or two; the list follows at once (unfolded they took
    # more than the first screen at 320).
    folded = fold.bounding_box()
    first = page.locator("#tracker-results tbody tr").first.bounding_box()
    assert folded is not None and first is not None
    assert folded["height"] < 130, folded
    assert first["y"] - (folded["y"] + folded["height"]) < 160, (folded, first)
    assert page.evaluate(LABELS_FIT_JS) == []
    assert_no_sideways_scroll(page, f"my applications ({mode}, {width})")
    assert_accessible(f"my applications folded ({mode}, {width})")
    screenshot(page, f"my-applications-{width}-{mode}")

    summary.click()
    expect(page.get_by_role("group", name="Показать")).to_be_visible()
    page.get_by_label("Все", exact=True).check()
    expect(summary).to_contain_text("(выбрано: 1)")
    expect(fold).to_have_attribute("open", "")
    assert page.evaluate(LABELS_FIT_JS) == []
    assert_no_sideways_scroll(page, f"my applications open ({mode}, {width})")
    assert_accessible(f"my applications unfolded ({mode}, {width})")


def test_wide_the_filters_stand_open(page: Page, live_url, demo_data):
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_url, "citizen", "citizen-demo")
    page.goto(live_url + "/my/applications/")
    expect(page.get_by_role("group", name="Показать")).to_be_visible()
    expect(page.locator("details.tracker-fold summary")).to_be_hidden()
    screenshot(page, "my-applications-1280-normal")


def test_an_answer_while_watching_stays_marked_new_and_the_header_counts_live(
    page: Page, browser, browser_context_args, live_url, demo_data, assert_accessible
):
    from support.appeals.models import Appeal

    number = Appeal.objects.get(subject="Заявление на загранпаспорт долго рассматривают").number
    page.set_viewport_size({"width": 320, "height": 568})
    login(page, live_url, "citizen", "citizen-demo")
    page.goto(live_url + "/my/applications/")
    expect(page.locator("body")).to_have_attribute("data-live-socket", "open")
    page.get_by_role("button", name="Меню").click()
    counter = page.get_by_role("link", name=re.compile(r"Уведомления \(\d+\)"))
    before = int(re.search(r"\((\d+)\)", counter.inner_text()).group(1))
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=number, exact=True))
    expect(row).to_contain_text("В работе")
    page.evaluate("window.__notReloaded = true")

    _answer(browser, browser_context_args, live_url, number)

    expect(row).to_contain_text("Дан ответ", timeout=5000)
    expect(row).to_contain_text("Новое")
    expect(page.get_by_role("link", name=f"Уведомления ({before + 1})")).to_be_visible()
    assert page.evaluate("window.__notReloaded") is True
    assert_accessible("answered while watching")
    screenshot(page, "my-applications-answered-320-normal")

    # Opened from the list, then back: seen, it leaves «Активные» for «Завершённые».
    row.get_by_role("link", name=number).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Обращение № {number}")
    page.goto(live_url + "/my/applications/")
    expect(page.get_by_role("link", name=number, exact=True)).to_have_count(0)
    page.goto(live_url + "/my/applications/?state=finished")
    expect(page.get_by_role("link", name=number, exact=True)).to_be_visible()


def test_the_header_counts_live_on_any_page(
    page: Page, browser, browser_context_args, live_url, demo_data
):
    from support.appeals.models import Appeal

    number = Appeal.objects.get(subject="Заявление на загранпаспорт долго рассматривают").number
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_url, "citizen", "citizen-demo")
    page.goto(live_url + "/help/faq/")
    expect(page.locator("body")).to_have_attribute("data-live-socket", "open")
    counter = page.get_by_role("link", name=re.compile(r"Уведомления \(\d+\)"))
    before = int(re.search(r"\((\d+)\)", counter.inner_text()).group(1))
    _answer(browser, browser_context_args, live_url, number)
    expect(page.get_by_role("link", name=f"Уведомления ({before + 1})")).to_be_visible()
