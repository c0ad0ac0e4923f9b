"""The chat in two browsers: a citizen (the panel opened from another page) and an operator.
The bot answers, the hand-off, messages and a file both ways, close, rating; a daphne killed
and restarted mid-conversation loses and doubles nothing; axe on the chat and the workspace."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import daphne_start, login
from tests.support.appeals.factories import PDF

pytestmark = pytest.mark.browser


def chat_always_open() -> None:
    """The demo's chat keeps office hours; the tests run at any time of day."""
    from portal.channels import ChannelKind
    from support.contacts.models import ContactChannel

    ContactChannel.objects.filter(kind=ChannelKind.CHAT).update(always_open=True)


def operator_at_the_queue(browser, browser_context_args, url: str) -> Page:
    """The chat open round the clock, and the demo operator at the queue in a browser of
    their own (close it with `.context.close()`)."""
    chat_always_open()
    operator = browser.new_context(**browser_context_args).new_page()
    login(operator, url, "operator", "operator-demo")
    operator.goto(url + "/support/operator/")
    expect(operator.get_by_role("heading", name="Чаты в очереди")).to_be_visible()
    return operator


def chat_say(panel, text: str):
    """Send `text` from the chat's message box with Enter; returns the box."""
    box = panel.get_by_role("textbox", name="Сообщение")
    box.fill(text)
    box.press("Enter")
    return box


def log_seqs(page: Page) -> list[int]:
    return [
        int(s)
        for s in page.locator("[data-chat-log] > li[data-seq]").evaluate_all(
            "items => items.map(li => li.dataset.seq)"
        )
    ]


def test_citizen_and_operator_talk_from_bot_to_rating(
    page: Page, browser, browser_context_args, live_url, demo_data, assert_accessible, tmp_path
):
    operator = operator_at_the_queue(browser, browser_context_args, live_url)

    login(page, live_url, "citizen", "citizen-demo")
    page.goto(live_url + "/help/faq/")
    page.get_by_role("link", name="Начать чат").click()  # the panel, not a new page
    panel = page.locator("#chat-panel")
    expect(panel.get_by_role("heading", name="Онлайн-чат")).to_be_focused()
    panel.get_by_role("button", name="Начать чат").click()
    log = panel.get_by_role("log")
    expect(log).to_contain_text("Я бот поддержки")
    assert page.url.endswith("/help/faq/")

    box = panel.get_by_role("textbox", name="Сообщение")
    expect(box).to_be_focused()
    box.fill("Как восстановить пароль?")
    box.press("Enter")
    expect(box).to_be_focused()
    expect(box).to_have_value("")
    expect(log.get_by_role("link").first).to_be_visible()  # an article from the knowledge base
    expect(panel.get_by_role("button", name="Это помогло")).to_be_visible()

    panel.get_by_role("button", name="Связаться с оператором").click()
    expect(panel.get_by_role("status").first).to_contain_text("Ваше место в очереди: 1")

    # The workspace redraws by itself; the operator takes the chat.
    take = operator.get_by_role("button", name=re.compile(r"Взять чат Ч-\d+"))
    expect(take).to_be_visible()
    expect(operator.get_by_role("cell", name="Как восстановить пароль?")).to_be_visible()
    take.click()
    expect(operator.get_by_role("log")).to_contain_text("Как восстановить пароль?")
    expect(operator.get_by_role("log")).to_contain_text("Я бот поддержки")
    expect(panel.get_by_role("status").first).to_contain_text("С оператором")

    answer = operator.get_by_role("textbox", name="Сообщение")
    answer.fill("Здравствуйте! <b>Сейчас</b> помогу.")
    answer.press("Enter")
    expect(log).to_contain_text("Здравствуйте! <b>Сейчас</b> помогу.")  # as text, not HTML
    expect(log.locator("b")).to_have_count(0)

    box = panel.get_by_role("textbox", name="Сообщение")
    box.fill("Спасибо")
    box.press("Enter")
    expect(operator.get_by_role("log")).to_contain_text("Спасибо")
    expect(log.locator(".chat__read").first).to_be_visible()  # the operator read it

    scan = tmp_path / "скан.pdf"
    scan.write_bytes(PDF)
    panel.get_by_label("Файл").set_input_files(str(scan))
    panel.get_by_role("button", name="Отправить").click()
    file_link = operator.get_by_role("log").get_by_role("link", name=re.compile(r"\.pdf$"))
    expect(file_link).to_be_visible()
    with operator.expect_download() as download:
        file_link.click()
    assert download.value.suggested_filename.endswith(".pdf")

    operator.get_by_label("Итог для гражданина").fill("Пароль восстановлен через «Забыли пароль»")
    operator.get_by_role("button", name="Закрыть с итогом").click()
    expect(operator.get_by_role("heading", name="Рабочее место оператора")).to_be_visible()

    expect(log).to_contain_text("Пароль восстановлен через «Забыли пароль»")
    # Rating is optional: a new chat can start at once; this citizen rates first.
    expect(panel.get_by_role("button", name="Начать чат")).to_be_visible()
    panel.get_by_role("radio", name="5").check()
    panel.get_by_role("button", name="Оценить").click()
    expect(panel.get_by_role("button", name="Оценить")).to_have_count(0)
    expect(panel.get_by_role("button", name="Начать чат")).to_be_visible()

    from support.chat.models import Conversation

    conversation = Conversation.objects.get(user__username="citizen")
    assert conversation.rating == 5 and conversation.status == "closed"
    seqs = list(conversation.messages.values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    operator.context.close()


@pytest.mark.parametrize("mode", ["normal", "a11y"])
def test_chat_and_workspace_are_axe_clean(
    page: Page,
    browser,
    browser_context_args,
    live_url,
    demo_data,
    assert_accessible,
    accessibility_mode,
    mode,
):
    chat_always_open()
    if mode == "a11y":
        accessibility_mode()
    page.goto(live_url + "/support/chat/")
    assert_accessible(f"chat for a visitor ({mode})")
    login(page, live_url, "citizen", "citizen-demo")
    if mode == "a11y":
        from portal.models import User

        User.objects.filter(username__in=["citizen", "operator"]).update(a11y_enabled=True)
    page.goto(live_url + "/support/chat/")
    page.get_by_role("button", name="Начать чат").click()
    expect(page.get_by_role("log")).to_contain_text("Я бот поддержки")
    page.get_by_role("textbox", name="Сообщение").fill("")
    page.get_by_role("button", name="Отправить").click()  # nothing to send: nothing happens
    assert_accessible(f"chat with the bot ({mode})")
    page.goto(live_url + "/")
    page.get_by_role("link", name="Начать чат").click()
    expect(page.locator("#chat-panel").get_by_role("log")).to_be_visible()
    assert_accessible(f"chat panel on the hub ({mode})")
    page.keyboard.press("Escape")
    expect(page.get_by_role("link", name="Начать чат")).to_be_focused()

    page.context.clear_cookies()
    if mode == "a11y":
        accessibility_mode()
    login(page, live_url, "operator", "operator-demo")
    page.goto(live_url + "/support/operator/")
    assert_accessible(f"operator home ({mode})")


def test_a_restarted_server_loses_and_doubles_nothing(
    page: Page, live_url, demo_data, django_db_blocker
):
    """The citizen writes while the server is down; after it comes back the client resumes
    and resends under the same ids: each message once, in order."""
    from support.chat.models import Message

    server = daphne_start(django_db_blocker)
    port = server.port.value
    url = f"http://127.0.0.1:{port}"
    try:
        login(page, url, "citizen", "citizen-demo")
        page.goto(url + "/support/chat/")
        page.get_by_role("button", name="Начать чат").click()
        log = page.get_by_role("log")
        box = page.get_by_role("textbox", name="Сообщение")
        box.fill("Первое сообщение")
        box.press("Enter")
        expect(log.locator("li[data-seq]")).to_have_count(3)  # greeting, mine, the bot

        server.terminate()
        server.join(timeout=10)
        expect(page.locator("[data-chat-connection]")).to_contain_text("Нет связи")
        box.fill("Написано без связи")
        box.press("Enter")
        expect(log).to_contain_text("Отправляется")

        server = daphne_start(django_db_blocker, port)
        expect(page.locator("[data-chat-connection]")).to_contain_text(
            "Связь восстановлена", timeout=20_000
        )
        expect(log.locator("li[data-seq]")).to_have_count(5, timeout=10_000)
        expect(log.locator("[data-pending]")).to_have_count(0)
        seqs = log_seqs(page)
        assert seqs == sorted(set(seqs)) == [1, 2, 3, 4, 5]
        texts = list(
            Message.objects.filter(conversation__user__username="citizen", sender_kind="citizen")
            .order_by("seq")
            .values_list("text", flat=True)
        )
        assert texts == ["Первое сообщение", "Написано без связи"]
        page.reload()
        assert log_seqs(page) == [1, 2, 3, 4, 5]
    finally:
        server.terminate()
        server.join(timeout=10)
