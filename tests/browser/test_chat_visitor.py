"""A visitor without an account, on a phone (320 px): the bot answers in the chat panel, an
operator is offered after sign-in, and signing in brings the conversation along. axe in
normal and accessibility mode, no sideways scrolling."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_no_sideways_scroll, screenshot
from tests.browser.test_chat import chat_always_open

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("mode", ["normal", "accessibility"])
def test_a_visitor_asks_the_bot_and_takes_the_chat_into_the_account(
    page: Page, live_url, demo_data, assert_accessible, accessibility_mode, mode
):
    chat_always_open()
    if mode == "accessibility":
        accessibility_mode()
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_url + "/help/faq/")
    page.get_by_role("link", name="Начать чат").click()
    panel = page.locator("#chat-panel")
    expect(panel.get_by_role("heading", name="Онлайн-чат")).to_be_focused()
    expect(panel).to_contain_text("Вы не вошли на портал")
    panel.get_by_role("button", name="Начать чат").click()
    log = panel.get_by_role("log")
    expect(log).to_contain_text("Я бот поддержки")
    expect(log).to_contain_text("войдите")

    box = panel.get_by_role("textbox", name="Сообщение")
    box.fill("Как восстановить пароль?")
    box.press("Enter")
    expect(box).to_have_value("")
    expect(log.get_by_role("link").first).to_be_visible()  # an article from the knowledge base
    # No promise of an operator the visitor cannot reach without signing in.
    expect(panel.get_by_role("button", name="Связаться с оператором")).to_have_count(0)
    assert_no_sideways_scroll(page, f"visitor chat panel ({mode})")
    assert_accessible(f"visitor chat panel ({mode})")
    screenshot(page, f"chat-visitor-panel-{mode}")

    page.goto(live_url + "/support/chat/")
    expect(page.get_by_role("log")).to_contain_text("Как восстановить пароль?")
    assert_no_sideways_scroll(page, f"visitor chat page ({mode})")
    assert_accessible(f"visitor chat page ({mode})")
    screenshot(page, f"chat-visitor-page-{mode}")

    # Signing in from the chat: the conversation is in the account.
    page.get_by_role("main").get_by_role("link", name="Войти", exact=True).click()
    page.get_by_label("Имя пользователя").fill("citizen")
    page.get_by_label("Пароль").fill("citizen-demo")
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url("**/support/chat/")
    expect(page.get_by_role("log")).to_contain_text("Как восстановить пароль?")
    expect(page.get_by_text("Вы не вошли на портал")).to_have_count(0)
    # What a visitor was refused is offered now (a message left becomes an appeal).
    expect(page.get_by_text("Оставить сообщение", exact=True).first).to_be_visible()
    assert_accessible(f"chat after sign-in ({mode})")
