"""A citizen finds an answer from the hub with the keyboard only, reads it, votes."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_citizen_picks_a_suggestion_with_the_keyboard_and_votes(
    page: Page, live_url, demo_data, assert_accessible
):
    page.goto(live_url + "/")
    assert_accessible("hub")

    box = page.get_by_role("combobox", name="Опишите вопрос своими словами")
    box.focus()
    box.press_sequentially("gfhjkm", delay=30)  # "пароль" in the wrong layout
    listbox = page.get_by_role("listbox", name="Подходящие вопросы и услуги")
    expect(listbox).to_be_visible()
    option = listbox.get_by_role("option", name=re.compile("восстановить пароль", re.I))
    expect(option).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Подсказок")).to_have_count(1)

    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-expanded", "true")
    active = page.locator("[role=option][aria-selected=true]")
    expect(active).to_have_count(1)
    expect(box).to_have_attribute("aria-activedescendant", active.get_attribute("id") or "")
    # Walk down to the password article and open it with Enter.
    for _ in range(5):
        if "пароль" in (active.text_content() or "").lower():
            break
        box.press("ArrowDown")
    box.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Как восстановить пароль")
    assert_accessible("article")

    page.get_by_role("button", name="Да").click()
    expect(page.get_by_text("Спасибо! Рады, что ответ помог.")).to_be_visible()
    page.get_by_label("Что можно улучшить? (необязательно)").fill("Всё понятно")
    page.get_by_role("button", name="Отправить комментарий").click()
    expect(page.get_by_text("Ваш комментарий получен.")).to_be_visible()

    page.reload()
    expect(page.get_by_role("button", name="Да")).to_have_count(0)


def test_search_results_and_no_results_pages(page: Page, live_url, demo_data, assert_accessible):
    page.goto(live_url + "/help/faq/?q=заявлений")
    expect(page.get_by_role("status").filter(has_text="Найдено")).to_be_visible()
    expect(page.locator("mark").first).to_be_visible()
    assert_accessible("results")

    # The next page comes over htmx, the URL follows, and Back returns to page 1.
    first_title = page.locator(".result__title").first.text_content()
    page.get_by_role("link", name="Следующая").click()
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(page.get_by_text("Страница 2 из")).to_be_visible()
    assert page.locator(".result__title").first.text_content() != first_title
    page.go_back()
    expect(page.get_by_text("Страница 1 из")).to_be_visible()

    page.goto(live_url + "/help/faq/?q=квантовый+телепорт")
    expect(page.get_by_role("alert")).to_contain_text("ничего не нашлось")
    assert_accessible("no results")


@pytest.mark.parametrize("mode", ["normal", "accessibility"])
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/help/faq/",
        "/help/faq/?q=пароль",
        "/help/faq/?q=ничегонетакого",
        "/help/faq/registration/",
        "/help/faq/registration/vosstanovit-parol/",
        "/accounts/login/",
        "/accessibility/",
    ],
)
def test_pages_pass_axe(
    page: Page, live_url, demo_data, assert_accessible, accessibility_mode, path, mode
):
    if mode == "accessibility":
        accessibility_mode()
    page.goto(live_url + path)
    if mode == "accessibility":
        expect(page.locator("html")).to_have_class(re.compile(r"\ba11y\b"))
    assert_accessible(f"{path} ({mode})")
