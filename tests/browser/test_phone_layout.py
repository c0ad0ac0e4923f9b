"""Every page on a phone, in the ordinary and in the accessibility mode at its largest print.

The phone is 320 × 568 CSS px (iPhone SE, first generation): the narrowest screen still in
use, and its short height makes "the header takes at most a quarter of the first screen"
the strictest it can be (142 px). A page that passes here passes on 390 × 844 too.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import WCAG_TAGS, login, tab_to

pytestmark = pytest.mark.browser

PHONE = {"width": 320, "height": 568}
HEADER_MAX = PHONE["height"] * 0.25
TOUCH_TARGET = 44
LARGEST = "1:largest:wb:0"  # accessibility mode, largest print, white on black, images off

# Every visible control a finger must hit, and its size. Radio buttons and check boxes are
# measured by their label (tapping it ticks the box); links inside running text are exempt.
TARGETS_JS = """(minimum) => {
  const controls = 'button, summary, select, input:not([type=hidden]):not([type=checkbox])'
    + ':not([type=radio]):not([type=file]), header a, .site-footer a, .pagination a, '
    + '.table td:first-child > a, .facet__list label, .field--checkbox > label';
  const small = [];
  for (const el of document.querySelectorAll(controls)) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || !el.checkVisibility({ visibilityProperty: true })) continue;
    if (box.height < minimum - 0.5) {
      small.push(`${el.tagName.toLowerCase()} «${(el.textContent || el.name || '').trim()
        .slice(0, 40)}» ${Math.round(box.height)}px`);
    }
  }
  return small;
}"""

LAYOUT_JS = """() => ({
  scrollWidth: document.scrollingElement.scrollWidth,
  clientWidth: document.scrollingElement.clientWidth,
  header: document.querySelector('header.site-header').getBoundingClientRect().height,
  wide: [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > document.scrollingElement.clientWidth + 0.5)
    .slice(0, 5).map(el => el.tagName.toLowerCase() + '.' + el.className),
})"""


def check_fits(page: Page, label: str) -> None:
    layout = page.evaluate(LAYOUT_JS)
    assert layout["scrollWidth"] <= layout["clientWidth"], f"{label}: scrolls sideways {layout}"
    assert layout["header"] <= HEADER_MAX, f"{label}: header {layout['header']:.0f} px tall"
    small = page.evaluate(TARGETS_JS, TOUCH_TARGET)
    assert not small, f"{label}: touch targets under {TOUCH_TARGET} px: {small}"


def check_accessible(page: Page, axe, label: str) -> None:
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{label}\n{results.generate_report()}"


def visit(page: Page, url: str, label: str, mode: str) -> None:
    response = page.goto(url)
    assert response is not None
    if mode == "largest":
        expect(page.locator("html")).to_have_class(re.compile(r"\ba11y-font-largest\b"))
    check_fits(page, f"{label} ({mode})")


def check_header_menu(page: Page, axe, mode: str) -> None:
    """The folded menu opens and closes by keyboard and fits while open."""
    menu = page.get_by_role("button", name="Меню")
    sections = page.get_by_role("navigation", name="Основные разделы")
    expect(sections).to_be_hidden()
    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(sections.get_by_role("link", name="Услуги")).to_be_visible()
    check_fits_open = page.evaluate(LAYOUT_JS)
    assert check_fits_open["scrollWidth"] <= check_fits_open["clientWidth"]
    assert not page.evaluate(TARGETS_JS, TOUCH_TARGET)
    check_accessible(page, axe, f"hub, menu open ({mode})")
    page.keyboard.press("Tab")  # into the menu: the accessibility switch comes first
    expect(
        page.get_by_role("button", name="Версия для слабовидящих").or_(
            page.get_by_role("button", name="Обычная версия")
        )
    ).to_be_focused()
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    expect(sections).to_be_hidden()

    # The search opens with the cursor in its box.
    search = page.get_by_role("button", name="Поиск", exact=True)
    search.focus()
    page.keyboard.press("Space")
    expect(search).to_have_attribute("aria-expanded", "true")
    expect(
        page.get_by_role("banner").get_by_role("combobox", name="Поиск по вопросам и ответам")
    ).to_be_focused()
    page.keyboard.type("пароль")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/help/faq/\?q="))


def check_catalogue_filters(page: Page, axe, live_url: str, mode: str) -> None:
    """Folded behind a summary with the number chosen; opened and used by keyboard only."""
    page.goto(live_url + "/services/")
    summary = page.locator("summary", has_text="Фильтры")
    expect(summary).to_have_text(re.compile(r"Фильтры\s*\(не выбраны\)"))
    expect(page.get_by_role("group", name="Тип услуги")).to_be_hidden()
    # Results come before the filters' content on a phone: the first one is on the first screens.
    summary.focus()
    page.keyboard.press("Enter")
    kinds = page.get_by_role("group", name="Тип услуги")
    expect(kinds).to_be_visible()
    check_fits(page, f"catalogue, filters open ({mode})")
    check_accessible(page, axe, f"catalogue, filters open ({mode})")
    page.get_by_role("radio", name=re.compile(r"^Все типы")).focus()
    page.keyboard.press("ArrowDown")  # the next type: htmx applies it at once
    expect(page).to_have_url(re.compile(r"type="))
    expect(summary).to_have_text(re.compile(r"Фильтры\s*\(выбрано: 1\)"))
    expect(kinds).to_be_visible()  # the update left the fold open
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    # Back on the summary (past the sort box), Enter folds the filters again.
    tab_to(page, summary, key="Shift+Tab", presses=5)
    page.keyboard.press("Enter")
    expect(kinds).to_be_hidden()


def check_cells_named(page: Page, headers: list[str]) -> None:
    """Each cell of the table's first row names its column and stays on the phone's screen."""
    cells = page.evaluate(
        """() => [...document.querySelector('table tbody tr').cells].map(cell => ({
             label: getComputedStyle(cell, '::before').content.replace(/^"|"$/g, ''),
             right: cell.getBoundingClientRect().right,
           }))"""
    )
    assert [cell["label"] for cell in cells] == headers
    assert all(cell["right"] <= PHONE["width"] for cell in cells)


def check_stacked_table(page: Page, axe, headers: list[str], label: str, mode: str) -> None:
    """Rows as cards, cells named after their columns, "Ответ до" on screen; opened by keyboard."""
    table = page.get_by_role("table")
    # The column headers stay for screen readers but take no room: each cell names itself.
    assert table.locator("thead").bounding_box()["height"] <= 1
    check_cells_named(page, headers)
    due = table.locator('td[data-label="Ответ до"]').first
    due.scroll_into_view_if_needed()
    expect(due).to_be_in_viewport()
    check_accessible(page, axe, f"{label} stacked ({mode})")
    first = table.get_by_role("link").first
    number = first.inner_text()
    tab_to(page, first)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(number)
    check_fits(page, f"{label}: the appeal opened from it ({mode})")


@pytest.mark.parametrize("mode", ["normal", "largest"])
def test_every_page_fits_a_phone(browser, browser_context_args, live_url, demo_data, axe, mode):
    from faq.models import Article
    from portal.models import User
    from support.appeals.models import Appeal
    from support.callbacks.models import Callback

    # One browser context per mode: the pages are visited in a loop.
    context = browser.new_context(**browser_context_args, viewport=PHONE)
    if mode == "largest":
        context.add_cookies([{"name": "a11y", "value": LARGEST, "url": live_url}])
        # Signed-in people keep the mode on their profile, not in the cookie.
        User.objects.filter(username__in=["citizen", "operator"]).update(
            a11y_enabled=True, a11y_font_size="largest", a11y_scheme="wb", a11y_images=False
        )
    page = context.new_page()
    article = Article.objects.published().select_related("category").first()
    appeal = Appeal.objects.filter(author__username="citizen").order_by("due_date").first()

    for path, label in [
        ("/", "hub"),
        ("/help/faq/", "FAQ index"),
        (article.category.get_absolute_url(), "FAQ category"),
        (article.get_absolute_url(), "FAQ article"),
        ("/help/faq/?q=пароль", "FAQ search"),
        ("/help/faq/?q=шщзхъ", "FAQ search without results"),
        ("/services/", "catalogue"),
        ("/services/?q=паспорт", "catalogue search"),
        ("/services/10020001/", "service page"),
        ("/support/feedback/", "feedback form"),
        ("/support/feedback/consent/", "consent text"),
        ("/support/appeals/lookup/", "appeal lookup"),
        ("/support/callback/", "call-back, signed out"),
        ("/support/chat/", "chat for a visitor"),
        ("/accounts/login/", "login"),
        ("/accounts/signup/", "sign-up"),
        ("/accounts/password/reset/", "password reset"),
        ("/accounts/confirm-email/resend/", "confirmation again"),
        ("/accessibility/", "accessibility settings"),
        ("/no-such-page/", "404"),
    ]:
        visit(page, live_url + path, label, mode)
        if label == "hub":
            check_header_menu(page, axe, mode)
        if label == "feedback form":
            page.get_by_role("button", name="Отправить обращение").click()
            expect(page.get_by_role("alert").first).to_be_visible()
            check_fits(page, f"feedback form with errors ({mode})")
            consent = page.get_by_role("checkbox", name=re.compile("Я даю согласие"))
            label_box = page.locator("label[for='id_consent']").bounding_box()
            box = consent.bounding_box()
            # The box and its label on one line, the label right beside it.
            assert label_box["y"] < box["y"] + box["height"]
            assert 0 <= label_box["x"] - (box["x"] + box["width"]) <= 16

    check_catalogue_filters(page, axe, live_url, mode)

    login(page, live_url, "citizen", "citizen-demo")
    visit(page, live_url + appeal.get_absolute_url(), "appeal page", mode)
    visit(page, live_url + "/support/appeals/", "my appeals", mode)
    visit(page, live_url + "/my/notifications/", "notifications", mode)
    visit(page, live_url + "/my/settings/", "settings", mode)
    visit(page, live_url + "/support/chat/", "chat", mode)
    page.get_by_role("button", name="Начать чат").click()
    expect(page.get_by_role("log")).to_contain_text("Я бот поддержки")
    check_fits(page, f"chat started ({mode})")
    page.goto(live_url + "/support/appeals/")
    # The overdue appeal says so in words, on the phone too.
    expect(page.get_by_role("cell", name=re.compile("Срок истёк"))).to_be_visible()
    check_stacked_table(page, axe, ["Номер", "Вопрос", "Статус", "Ответ до"], "my appeals", mode)
    visit(page, live_url + "/support/callback/", "call-back form", mode)
    callback = Callback.objects.filter(user__username="citizen", status="requested").first()
    visit(page, live_url + callback.get_absolute_url(), "call-back page", mode)
    visit(page, live_url + "/my/", "cabinet home", mode)
    check_accessible(page, axe, f"cabinet home ({mode})")
    visit(page, live_url + "/my/applications/?state=all", "my applications", mode)
    check_accessible(page, axe, f"my applications ({mode})")
    tracker_headers = ["Номер", "Вид", "Что", "Статус", "Изменено", "Ожидаемая дата"]
    check_cells_named(page, tracker_headers)
    visit(page, live_url + "/my/applications/4100000003/", "an application", mode)
    check_accessible(page, axe, f"an application ({mode})")

    context.clear_cookies()
    if mode == "largest":
        context.add_cookies([{"name": "a11y", "value": LARGEST, "url": live_url}])
    login(page, live_url, "operator", "operator-demo")
    visit(page, live_url + "/support/operator/", "operator home", mode)
    visit(page, live_url + "/support/operator/appeals/", "operator queue", mode)
    check_stacked_table(
        page, axe, ["Номер", "Ответ до", "Вопрос", "Статус", "Оператор"], "operator queue", mode
    )
    visit(page, live_url + appeal.get_operator_url(), "operator's appeal page", mode)
    visit(page, live_url + "/support/operator/callbacks/", "operator's call-backs", mode)

    if mode == "normal":
        # Nothing of the phone layout leaks onto a desktop screen.
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(live_url + "/services/")
        expect(page.get_by_role("button", name="Меню")).to_be_hidden()
        expect(page.get_by_role("navigation", name="Основные разделы")).to_be_visible()
        expect(
            page.get_by_role("banner").get_by_role("combobox", name="Поиск по вопросам и ответам")
        ).to_be_visible()
        expect(page.locator("summary", has_text="Фильтры")).to_be_hidden()
        expect(page.get_by_role("group", name="Тип услуги")).to_be_visible()
        page.goto(live_url + "/support/operator/appeals/")
        expect(page.get_by_role("columnheader", name="Ответ до")).to_be_visible()
    context.close()
