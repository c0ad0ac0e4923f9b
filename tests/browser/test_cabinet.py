"""The cabinet in a browser: "Мои заявки" updates and speaks when a department changes a
status, without a reload; the pages are axe-clean in both modes."""

import re

import pytest
from playwright.sync_api import expect

from portal.applications.demo import DEMO_KEY
from tests.browser.conftest import in_worker_thread, login

pytestmark = pytest.mark.browser

NUMBER = "4100000002"  # the demo citizen's МВД application, on review


def row_of(page, number: str):
    return page.get_by_role("row").filter(has=page.get_by_role("link", name=number, exact=True))


def test_my_applications_update_live_when_the_department_changes_a_status(
    page, browser, browser_context_args, live_url, demo_data, assert_accessible
):
    login(page, live_url, "citizen", "citizen-demo")
    page.get_by_role("navigation", name="Основные разделы").get_by_role(
        "link", name="Мои заявки"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Мои заявки")
    row = row_of(page, NUMBER)
    expect(row).to_contain_text("На рассмотрении")
    # Overdue and waiting-for-you are said in words.
    expect(page.get_by_role("cell", name=re.compile("Срок истёк")).first).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile("Нужно ваше действие")).first).to_be_visible()
    assert_accessible("my applications")
    # A mark that a reload would wipe: the update below must come without one.
    page.evaluate("window.__notReloaded = true")
    expect(page.locator("body")).to_have_attribute("data-live-socket", "open")

    # The department's system, from another browser context, with the demo key.
    department = browser.new_context(**browser_context_args)
    try:
        response = department.request.post(
            f"{live_url}/api/v1/department/applications/{NUMBER}/status/",
            headers={"Authorization": f"Api-Key {DEMO_KEY}"},
            data={"status": "action_required", "comment": "Нужна копия СНИЛС"},
        )
        assert response.status == 200, response.text()
    finally:
        department.close()

    expect(row_of(page, NUMBER)).to_contain_text("Требуется действие", timeout=3000)
    expect(page.get_by_role("status").filter(has_text=NUMBER)).to_have_text(
        f"Заявление № {NUMBER}: Требуется действие"
    )
    assert page.evaluate("window.__notReloaded") is True
    assert_accessible("my applications after the live update")

    # The application's own page has the history, with the department's comment.
    row_of(page, NUMBER).get_by_role("link", name=NUMBER).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Заявление № {NUMBER}")
    expect(page.get_by_text("Нужна копия СНИЛС")).to_be_visible()
    assert_accessible("application page")


def test_filters_work_without_javascript(browser, browser_context_args, live_url, demo_data):
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    page = context.new_page()
    try:
        login(page, live_url, "citizen", "citizen-demo")
        page.goto(live_url + "/my/applications/")
        page.get_by_role("radio", name="Завершённые").check()
        page.get_by_label("Вид").select_option(label="Заявление на услугу")
        page.get_by_role("button", name="Показать").click()
        expect(page).to_have_url(re.compile(r"state=finished"))
        expect(row_of(page, "4100000004")).to_contain_text("Отказ")
        expect(row_of(page, "4100000002")).to_have_count(0)
        page.get_by_label("Номер").fill("4100000005")
        page.get_by_role("button", name="Показать").click()
        expect(page.get_by_role("row")).to_have_count(2)  # the header and the one match
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/my/", "/my/applications/", "/my/applications/4100000004/"])
def test_cabinet_pages_are_accessible_in_the_accessibility_mode(
    page, live_url, demo_data, assert_accessible, accessibility_mode, path
):
    from portal.models import User

    User.objects.filter(username="citizen").update(
        a11y_enabled=True, a11y_font_size="large", a11y_scheme="wb", a11y_images=False
    )
    login(page, live_url, "citizen", "citizen-demo")
    page.goto(live_url + path)
    expect(page.locator("html")).to_have_class(re.compile(r"\ba11y-"))
    assert_accessible(path)


def test_anonymous_is_sent_to_sign_in_and_back(page, live_url, demo_data):
    page.goto(live_url + "/my/applications/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/my/applications/$"))
    page.get_by_label("Имя пользователя").fill("citizen")
    page.get_by_label("Пароль").fill("citizen-demo")
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Мои заявки")


def test_after_a_reconnect_the_page_catches_up(page, live_url, demo_data):
    """Events sent while the socket was down are lost; the page re-reads itself on reconnect."""
    from portal.applications.actions import application_status_change
    from portal.applications.lifecycle import Role
    from portal.applications.models import Application

    sockets = []

    def through(route) -> None:
        route.connect_to_server()
        sockets.append(route)

    # Every socket of the page passes through here, so the test can drop one.
    page.route_web_socket(re.compile(r"/ws/notifications/$"), through)
    login(page, live_url, "citizen", "citizen-demo")
    page.goto(live_url + "/my/applications/?state=all")
    body = page.locator("body")
    expect(body).to_have_attribute("data-live-socket", "open")
    page.evaluate("window.__notReloaded = true")
    sockets[-1].close(code=1012, reason="restart")
    expect(body).to_have_attribute("data-live-socket", "closed")
    # The change happens while the page is between sockets (it waits a second or more).
    application = Application.objects.get(number=NUMBER)
    in_worker_thread(
        application_status_change, application=application, to="done", role=Role.DEPARTMENT
    )
    expect(body).to_have_attribute("data-live-socket", "open", timeout=10_000)
    expect(row_of(page, NUMBER)).to_contain_text("Готово")
    assert page.evaluate("window.__notReloaded") is True
