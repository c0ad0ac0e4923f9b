"""Item 8 of the phone walk: the chat's rating says thank you where it was given (the panel
at 320 px), once; the article on the chat names the button as the chat does."""

import re

import pytest
from playwright.sync_api import Page, expect

from portal.models import User
from tests.browser.conftest import assert_no_sideways_scroll, login, screenshot
from tests.browser.test_chat import chat_always_open

pytestmark = pytest.mark.browser

PHONE = {"width": 320, "height": 568}


@pytest.mark.parametrize("mode", ["normal", "accessible"])
def test_the_rating_says_thank_you_in_the_chat_once(
    page: Page, live_url, demo_data, assert_accessible, mode
):
    chat_always_open()
    if mode == "accessible":
        # Signed in, the mode is the citizen's profile (the cookie is a visitor's).
        User.objects.filter(username="citizen").update(
            a11y_enabled=True, a11y_font_size="large", a11y_scheme="wb", a11y_images=False
        )
    page.set_viewport_size(PHONE)
    login(page, live_url, "citizen", "citizen-demo")
    page.goto(live_url + "/support/chat/")
    if mode == "accessible":
        expect(page.locator("html")).to_have_class(re.compile(r"\ba11y\b"))
    page.get_by_role("button", name="Начать чат").click()
    chat = page.locator("#chat")
    expect(chat.get_by_role("log")).to_contain_text("Я бот поддержки")
    chat.get_by_role("button", name="Это помогло").click()
    chat.get_by_role("radio", name="4").check()
    comment = chat.get_by_role("textbox", name="Комментарий (необязательно)")
    comment.fill("Быстро")
    expect(chat.locator("#id_comment_count")).to_have_text("Осталось символов: 994 из 1000.")
    chat.get_by_role("button", name="Оценить").click()

    thanks = chat.get_by_role("status").filter(has_text="Спасибо за оценку!")
    expect(thanks).to_be_visible()
    expect(chat.get_by_role("button", name="Начать чат")).to_be_visible()
    assert_no_sideways_scroll(page, f"chat rated ({mode})")
    assert_accessible(f"chat rated ({mode})")
    screenshot(page, f"chat-rated-320-{mode}")

    # Said once: not again on the next page.
    page.goto(live_url + "/help/faq/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_text("Спасибо за оценку!")).to_have_count(0)


def test_the_article_on_the_chat_names_the_button_the_chat_shows(page: Page, live_url, demo_data):
    page.set_viewport_size(PHONE)
    page.goto(live_url + "/help/faq/contact/onlajn-chat/")
    article = page.get_by_role("main")
    expect(article).to_contain_text("нажмите «Связаться с оператором»")
    expect(article).not_to_contain_text("Перейти к оператору")
