"""A visitor without an account, on a phone (320 px).

The bot answers in the chat panel; signing in brings the conversation along. The whole
journey without an account: the bot, the hand-off with a name and an e-mail (refused
first without them), an operator in a second browser answers, the visitor sees it live and
the answer also arrives by e-mail (an SMTP sink), then a call-back ordered by phone. axe in
normal and accessibility mode, no sideways scrolling."""

import os
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_no_sideways_scroll, screenshot
from tests.browser.test_chat import chat_always_open, chat_say, operator_at_the_queue
from tests.browser.test_mail_journey import _text, mail_server, mailbox  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


def panel_shot(panel, name: str) -> None:
    """The chat panel, or a part of it, alone (a full page at 320 px is too tall to look at)."""
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        panel.screenshot(path=os.path.join(folder, f"{name}-panel.png"))


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

    expect(chat_say(panel, "Как восстановить пароль?")).to_have_value("")
    expect(log.get_by_role("link").first).to_be_visible()  # an article from the knowledge base
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
    assert_accessible(f"chat after sign-in ({mode})")


@pytest.mark.parametrize("mode", ["normal", "accessibility"])
def test_a_visitors_journey_bot_hand_off_answer_by_mail_and_a_call_back(
    page: Page,
    browser,
    browser_context_args,
    mail_server,  # noqa: F811
    mailbox,  # noqa: F811
    demo_data,
    assert_accessible,
    mode,
):
    from django.db import connections

    from support.callbacks.models import Callback
    from support.chat.models import Conversation

    box_, _port = mailbox
    url = mail_server
    operator = operator_at_the_queue(browser, browser_context_args, url)

    if mode == "accessibility":
        page.context.add_cookies([{"name": "a11y", "value": "1:large:wb:0", "url": url}])
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(url + "/help/faq/")
    page.get_by_role("link", name="Начать чат").click()
    panel = page.locator("#chat-panel")
    panel.get_by_role("button", name="Начать чат").click()
    log = panel.get_by_role("log")
    # An operator is online: offered, with what the hand-off will ask for.
    expect(log).to_contain_text("имя и e-mail или телефон")
    chat_say(panel, "Не приходит СМС с кодом для входа")
    expect(log).to_contain_text("Не приходит СМС с кодом для входа")
    # Stored and answered (the greeting, the question, the bot's answer).
    expect(log.locator("li[data-seq]")).to_have_count(3)

    # The hand-off asks who they are and where the answer reaches them.
    panel.get_by_text("Связаться с оператором", exact=True).click()
    handoff = panel.locator("details.chat__handoff")
    handoff.get_by_role("button", name="Передать вопрос оператору").click()
    summary = panel.locator(".error-summary")
    expect(summary).to_contain_text("Напишите, как к вам обращаться.")
    expect(summary).to_contain_text("Без согласия")
    handoff = panel.locator("details.chat__handoff")
    handoff.get_by_label("Как к вам обращаться").fill("Анна")
    handoff.get_by_label("E-mail").fill("anna@")
    handoff.get_by_label("Согласен на обработку персональных данных").check()
    handoff.get_by_role("button", name="Передать вопрос оператору").click()
    expect(panel.locator(".error-summary")).to_contain_text("Введите адрес электронной почты")
    assert_no_sideways_scroll(page, f"hand-off refused ({mode})")
    assert_accessible(f"hand-off refused ({mode})")
    screenshot(page, f"chat-visitor-hand-off-refused-{mode}")
    panel_shot(panel.locator("details.chat__handoff"), f"chat-visitor-hand-off-refused-{mode}")
    handoff = panel.locator("details.chat__handoff")
    expect(handoff.get_by_label("Как к вам обращаться")).to_have_value("Анна")
    handoff.get_by_label("E-mail").fill("anna@example.ru")
    handoff.get_by_label("Согласен на обработку персональных данных").check()
    handoff.get_by_role("button", name="Передать вопрос оператору").click()
    expect(panel.get_by_role("status").first).to_contain_text("Ваше место в очереди: 1")
    expect(log).to_contain_text("ответ оператора придёт на anna@example.ru")
    assert_no_sideways_scroll(page, f"visitor waiting ({mode})")
    assert_accessible(f"visitor waiting ({mode})")
    screenshot(page, f"chat-visitor-waiting-{mode}")
    panel_shot(panel, f"chat-visitor-waiting-{mode}")

    # The operator sees the name and the contacts, takes the chat and answers.
    take = operator.get_by_role("button", name=re.compile(r"Взять чат Ч-\d+"))
    expect(take).to_be_visible()
    expect(operator.get_by_text("Анна, без входа")).to_be_visible()
    take.click()
    expect(operator.get_by_text("Анна — Посетитель без входа")).to_be_visible()
    expect(operator.get_by_role("link", name="anna@example.ru")).to_be_visible()
    expect(operator.get_by_role("log")).to_contain_text("Не приходит СМС с кодом для входа")
    answer = operator.get_by_role("textbox", name="Сообщение")
    answer.fill("Анна, проверьте номер в профиле: код уходит на него.")
    answer.press("Enter")
    # Live on the visitor's page.
    expect(log).to_contain_text("Анна, проверьте номер в профиле: код уходит на него.")
    expect(panel.get_by_role("status").first).to_contain_text("С оператором")
    assert_no_sideways_scroll(page, f"visitor with the operator ({mode})")
    assert_accessible(f"visitor with the operator ({mode})")
    screenshot(page, f"chat-visitor-answered-{mode}")
    panel_shot(panel, f"chat-visitor-answered-{mode}")

    # And by e-mail (the immediate tasks backend asks at once whether it was read).
    letter = box_.wait_for(lambda letter: letter["To"] == "anna@example.ru")
    assert "Оператор ответил в чате Ч-" in letter["Subject"]
    body = _text(letter)
    assert "Здравствуйте, Анна!" in body
    assert "Анна, проверьте номер в профиле: код уходит на него." in body
    assert "/support/chat/" in body

    conversation = Conversation.objects.get(contact_email="anna@example.ru")
    assert conversation.user is None and conversation.contact_name == "Анна"
    connections.close_all()

    # A call-back by phone, without an account.
    page.goto(url + "/support/callback/")
    page.get_by_label("Как к вам обращаться").fill("Анна")
    page.get_by_label("Телефон").fill("8 916 765-43-21")
    page.get_by_label("Тема").select_option(label="Помощь по личному кабинету")
    expect(page.get_by_label("Время звонка")).not_to_have_value("")
    page.get_by_label("Согласен на обработку персональных данных").check()
    assert_no_sideways_scroll(page, f"visitor call-back form ({mode})")
    assert_accessible(f"visitor call-back form ({mode})")
    screenshot(page, f"callback-visitor-form-{mode}")
    page.get_by_role("button", name="Заказать звонок").click()
    expect(
        page.get_by_role("heading", level=1, name=re.compile(r"Обратный звонок № \d{8}"))
    ).to_be_visible()
    expect(page.get_by_text("Ожидает звонка", exact=True)).to_be_visible()
    expect(page.get_by_text("+7 916 765-43-21")).to_be_visible()
    assert_no_sideways_scroll(page, f"visitor call-back booked ({mode})")
    assert_accessible(f"visitor call-back booked ({mode})")
    screenshot(page, f"callback-visitor-booked-{mode}")
    callback = Callback.objects.get(phone="+79167654321")
    assert callback.user is None and callback.name == "Анна" and callback.visitor

    # The same number again (another spelling): one waiting call-back per number.
    page.goto(url + "/support/callback/")
    page.get_by_label("Как к вам обращаться").fill("Анна")
    page.get_by_label("Телефон").fill("+7 (916) 765 43 21")
    page.get_by_label("Тема").select_option(label="Другой вопрос")
    page.get_by_label("Согласен на обработку персональных данных").check()
    page.get_by_role("button", name="Заказать звонок").click()
    expect(page.locator(".error-summary")).to_contain_text("На этот номер уже заказан звонок")
    assert_accessible(f"visitor call-back refused ({mode})")
    assert Callback.objects.filter(phone="+79167654321").count() == 1
    connections.close_all()
    operator.context.close()
