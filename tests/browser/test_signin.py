"""Sign-in under daphne: the lockout page after five wrong passwords, in both modes."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_five_wrong_passwords_show_the_lockout_page(
    page: Page, live_url, demo_data, assert_accessible, accessibility_mode
):
    for attempt in range(5):
        login(page, live_url, "citizen", f"wrong-{attempt}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Вход временно заблокирован")
    expect(page.get_by_text("Попробуйте снова через 15 минут.")).to_be_visible()
    assert_accessible("lockout")

    # The right password changes nothing until the cool-off is over.
    login(page, live_url, "citizen", "citizen-demo")
    expect(page.get_by_role("heading", level=1)).to_have_text("Вход временно заблокирован")
    expect(page.get_by_role("button", name="Выйти")).to_have_count(0)
    accessibility_mode()
    login(page, live_url, "citizen", "citizen-demo")
    expect(page.locator("html")).to_have_class(re.compile(r"\ba11y\b"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Вход временно заблокирован")
    assert_accessible("lockout, accessibility mode")


def test_the_right_password_signs_in_after_a_few_mistakes(page: Page, live_url, demo_data):
    for attempt in range(4):
        login(page, live_url, "citizen", f"wrong-{attempt}")
        expect(page.get_by_role("alert")).to_contain_text(
            "Неверное имя пользователя, e-mail, телефон или пароль"
        )
    login(page, live_url, "citizen", "citizen-demo")
    expect(page.get_by_role("button", name="Выйти")).to_be_visible()
