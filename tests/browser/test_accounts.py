"""Accounts and the cabinet in a browser: sign up, confirm, sign in, settings, inbox;
axe-clean in both modes."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import login

pytestmark = pytest.mark.browser
PASSWORD = "Sinyaya-Reka-2026"


def submit(page: Page, label: str, value: str, button: str) -> None:
    """Fill the field labelled `label` with `value` and press the button named `button`."""
    page.get_by_label(label).fill(value)
    page.get_by_role("button", name=button).click()


def confirmation_path(email: str) -> str:
    # The e-mail leaves from the forked server; its link is the HMAC key computed here
    # (the unit tests follow the link in the e-mail itself).
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC

    key = EmailConfirmationHMAC(EmailAddress.objects.get(email=email)).key
    return f"/accounts/confirm-email/{key}/"


def test_sign_up_confirm_and_sign_in(page: Page, live_url, assert_accessible, accessibility_mode):
    page.goto(f"{live_url}/accounts/signup/")
    assert_accessible("sign-up")
    page.get_by_role("button", name="Зарегистрироваться").click()
    expect(page.get_by_role("alert")).to_contain_text("Проверьте, пожалуйста, форму")
    assert_accessible("sign-up with errors")

    page.get_by_label("Фамилия").fill("Петрова")
    page.get_by_label(re.compile(r"^Имя( \*)?$")).fill("Анна")
    page.get_by_label("Электронная почта").fill("anna@example.org")
    page.get_by_label("Мобильный телефон").fill("8 916 555-12-34")
    page.get_by_label("Имя пользователя").fill("anna")
    page.get_by_label(re.compile(r"^Пароль( \*)?$")).fill(PASSWORD)
    submit(page, "Пароль ещё раз", PASSWORD, "Зарегистрироваться")
    expect(page.get_by_role("heading", level=1)).to_have_text("Подтвердите адрес электронной почты")
    assert_accessible("verification sent")

    # Before confirming, signing in is refused with the reason and "send again".
    login(page, live_url, "anna", PASSWORD)
    expect(page.get_by_role("link", name="Отправить письмо ещё раз")).to_be_visible()
    page.get_by_role("link", name="Отправить письмо ещё раз").click()
    submit(page, "Электронная почта", "anna@example.org", "Отправить ещё раз")
    expect(
        page.get_by_role("status").filter(has_text="мы отправили письмо ещё раз")
    ).to_be_visible()

    page.goto(live_url + confirmation_path("anna@example.org"))
    assert_accessible("confirm")
    page.get_by_role("button", name="Подтвердить").click()
    login(page, live_url, "+7 916 555 12 34", PASSWORD)
    expect(page.get_by_role("button", name="Выйти")).to_be_visible()
    expect(page.get_by_role("link", name="Уведомления (0)")).to_be_attached()

    page.get_by_role("button", name="Выйти").click()
    accessibility_mode()
    for path in ("/accounts/signup/", "/accounts/login/", "/accounts/confirm-email/resend/"):
        page.goto(live_url + path)
        expect(page.locator("html")).to_have_class(re.compile(r"\ba11y\b"))
        assert_accessible(f"{path} accessibility mode")


def test_settings_and_inbox(page: Page, live_url, demo_data, assert_accessible, accessibility_mode):
    from portal.models import User
    from portal.notifications.models import Notification, NotificationEvent

    citizen = User.objects.get(username="citizen")
    for n in range(3):
        # Stored directly: notification_send rings sockets through async_to_sync, which
        # cannot run in Playwright's event-loop thread.
        Notification.objects.create(
            user=citizen,
            event=NotificationEvent.ANSWER_GIVEN,
            title=f"Проверочное уведомление {n}",
            url="/support/appeals/",
        )
    login(page, live_url, "citizen", "citizen-demo")
    page.goto(f"{live_url}/my/notifications/")
    items = page.get_by_role("listitem").filter(has_text="Проверочное уведомление")
    expect(items).to_have_count(3)
    expect(items.first).to_contain_text("Новое")
    expect(items.first).to_contain_text("Проверочное уведомление 2")
    assert_accessible("inbox")
    page.get_by_role("button", name="Отметить все прочитанными").click()
    expect(items.first).to_contain_text("Прочитано")
    expect(page.get_by_role("link", name="Уведомления (0)")).to_be_attached()
    assert_accessible("inbox, all read")

    page.get_by_role("link", name="Настроить, о чём и как сообщать").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Настройки")
    assert_accessible("settings")
    submit(page, "СНИЛС", "112-233-445 96", "Сохранить профиль")
    expect(page.get_by_role("alert")).to_contain_text("контрольное число не сходится")
    assert_accessible("settings with an error")
    submit(page, "СНИЛС", "112-233-445 95", "Сохранить профиль")
    expect(page.get_by_role("status").filter(has_text="Профиль сохранён.")).to_be_visible()

    sms = page.get_by_role("group", name="Продлён срок").get_by_label("SMS")
    sms.check()
    page.get_by_role("button", name="Сохранить уведомления").click()
    expect(page.get_by_role("group", name="Продлён срок").get_by_label("SMS")).to_be_checked()

    accessibility_mode()
    User.objects.filter(username="citizen").update(a11y_enabled=True, a11y_scheme="wb")
    for path in ("/my/settings/", "/my/notifications/"):
        page.goto(live_url + path)
        expect(page.locator("html")).to_have_class(re.compile(r"\ba11y\b"))
        assert_accessible(f"{path} accessibility mode")


@pytest.mark.parametrize("mode", ["normal", "largest"])
def test_account_pages_fit_a_phone(browser, browser_context_args, live_url, demo_data, mode):
    from portal.models import User
    from tests.browser.test_phone_layout import LARGEST, PHONE, visit

    context = browser.new_context(**browser_context_args, viewport=PHONE)
    if mode == "largest":
        context.add_cookies([{"name": "a11y", "value": LARGEST, "url": live_url}])
        User.objects.filter(username="citizen").update(
            a11y_enabled=True, a11y_font_size="largest", a11y_scheme="wb", a11y_images=False
        )
    page = context.new_page()
    for path in ("/accounts/signup/", "/accounts/password/reset/", "/accounts/confirm-email/"):
        visit(page, live_url + path, path, mode)
    login(page, live_url, "citizen", "citizen-demo")
    for path in ("/my/notifications/", "/my/settings/", "/accounts/email/"):
        visit(page, live_url + path, path, mode)
    context.close()


def test_a_new_phone_is_confirmed_by_the_code_from_its_sms(
    page: Page, live_url, demo_data, assert_accessible
):
    from portal.accounts.phone_codes import code_digest
    from portal.models import PhoneConfirmation, User
    from tests.browser.test_phone_layout import PHONE, check_fits

    login(page, live_url, "citizen", "citizen-demo")
    page.goto(f"{live_url}/my/settings/")
    submit(page, "Мобильный телефон", "8 916 777-88-99", "Сохранить профиль")
    expect(
        page.get_by_role("status").filter(has_text="Мы отправили SMS с кодом на номер")
    ).to_contain_text("+7 916 777-88-99")
    expect(page.get_by_role("heading", name="Подтвердите новый номер")).to_be_visible()
    expect(page.get_by_label("Мобильный телефон")).not_to_have_value("+79167778899")
    assert_accessible("settings, a new phone waiting for its code")
    page.set_viewport_size(PHONE)
    check_fits(page, "settings, a new phone waiting (normal)")

    # The SMS left from the forked server: its code is set here, as the server keeps it.
    citizen = User.objects.get(username="citizen")
    PhoneConfirmation.objects.filter(user=citizen).update(
        code_digest=code_digest(user_id=citizen.pk, phone="+79167778899", code="123456")
    )
    submit(page, "Код из SMS", "000000", "Подтвердить номер")
    expect(page.get_by_role("alert")).to_contain_text("Код не подходит")
    assert_accessible("settings, a wrong code")
    submit(page, "Код из SMS", "123 456", "Подтвердить номер")
    expect(page.get_by_role("status").filter(has_text="Телефон подтверждён")).to_be_visible()
    expect(page.get_by_label("Мобильный телефон")).to_have_value("+79167778899")
    expect(page.get_by_role("heading", name="Подтвердите новый номер")).to_have_count(0)
