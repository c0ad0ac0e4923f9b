"""Appeals in a real browser: the form with two files and progress, the number, the lookup;
an operator answers and the citizen sees it; axe on every page of the flow in both modes."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import login
from tests.support.appeals.factories import PDF, PNG

pytestmark = pytest.mark.browser


def _files(tmp_path):
    pdf = tmp_path / "скан паспорта.pdf"
    pdf.write_bytes(PDF)
    png = tmp_path / "screenshot.png"
    png.write_bytes(PNG)
    return [str(pdf), str(png)]


def test_citizen_sends_an_appeal_with_two_files_and_finds_it_by_number(
    page: Page, live_url, demo_data, assert_accessible, tmp_path
):
    page.goto(live_url + "/support/feedback/")
    assert_accessible("feedback form")

    # Sending with nothing filled in: the error summary, messages by the fields.
    page.get_by_role("button", name="Отправить обращение").click()
    summary = page.get_by_role("alert").filter(has_text="Проверьте, пожалуйста, форму")
    expect(summary).to_be_visible()
    assert_accessible("feedback form with errors")

    page.get_by_label("Тема обращения").select_option(label="Вход и учётная запись")
    page.get_by_label("Кратко о вопросе").fill("Не приходит СМС с кодом")
    description = page.get_by_role("textbox", name="Описание", exact=True)
    description.fill("Третий день не приходит СМС при входе.")
    expect(page.locator("#id_description_count")).to_contain_text(
        "Осталось символов: 4962 из 5000."
    )
    page.get_by_role("textbox", name="Телефон", exact=True).fill("8 916 123-45-67")
    page.get_by_role("textbox", name="Электронная почта", exact=True).fill("anna@example.org")

    # Hold the uploads so the progress bars can be seen, then let them through.
    held = []
    page.route("**/support/feedback/files/", lambda route: held.append(route))
    page.get_by_label("Файлы", exact=True).set_input_files(_files(tmp_path))
    expect(page.locator("#appeal-file-list progress")).to_have_count(2)
    expect(page.get_by_role("button", name="Отправить обращение")).to_be_disabled()
    for _ in range(50):
        if len(held) == 2:
            break
        page.wait_for_timeout(100)
    for route in held:
        route.continue_()
    expect(page.locator("#appeal-file-list li").filter(has_text="загружен")).to_have_count(2)
    expect(page.locator("[data-upload-live]")).to_contain_text("загружен")
    assert_accessible("files uploaded")

    page.get_by_label("Я даю согласие на обработку моих персональных данных").check()
    page.get_by_role("button", name="Отправить обращение").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Обращение зарегистрировано")
    number = page.locator("[data-appeal-number]").text_content().strip()
    assert re.fullmatch(r"\d{8}", number)
    expect(page.get_by_text("Ответим до")).to_be_visible()
    assert_accessible("confirmation")

    page.get_by_role("link", name="Открыть обращение").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Обращение № {number}")
    expect(page.get_by_role("link", name="скан паспорта.pdf")).to_be_visible()
    expect(page.get_by_role("link", name="screenshot.png")).to_be_visible()
    assert_accessible("appeal page")

    # Another browser without the session: the lookup by number and e-mail.
    page.context.clear_cookies()
    page.goto(live_url + f"/support/appeals/{number}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Найти обращение")
    expect(page.get_by_label("Номер обращения")).to_have_value(number)
    page.get_by_label("Электронная почта, указанная в обращении").fill("wrong@example.org")
    page.get_by_role("button", name="Найти").last.click()
    expect(page.get_by_role("alert")).to_contain_text("Обращение не найдено")
    assert_accessible("lookup failed")
    page.get_by_label("Электронная почта, указанная в обращении").fill("anna@example.org")
    page.get_by_role("button", name="Найти").last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Обращение № {number}")
    expect(page.get_by_text("Зарегистрировано").first).to_be_visible()


def test_faq_suggestion_while_typing(page: Page, live_url, demo_data):
    page.goto(live_url + "/support/feedback/")
    page.get_by_label("Кратко о вопросе").press_sequentially("восстановить пароль", delay=20)
    suggestions = page.locator("#appeal-faq")
    expect(suggestions.get_by_role("heading", name="Возможно, ответ уже есть")).to_be_visible()
    suggestions.get_by_role("button", name=re.compile("Это решило мой вопрос")).first.click()
    expect(page.get_by_text("Рады, что ответ нашёлся")).to_be_visible()


def test_operator_answers_and_the_citizen_sees_the_answer(
    page: Page, live_url, demo_data, assert_accessible
):
    from support.appeals.models import Appeal

    appeal = Appeal.objects.get(subject="Заявление на загранпаспорт долго рассматривают")
    login(page, live_url, "operator", "operator-demo")
    page.get_by_role("link", name="Рабочее место оператора").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Обращения")
    assert_accessible("operator queue")
    page.get_by_label("Только мои").check()
    expect(page.get_by_role("link", name=appeal.number)).to_be_visible()
    page.get_by_role("link", name=appeal.number).click()
    assert_accessible("operator appeal")
    answer = "Заявление на проверке в МВД, ответ придёт в кабинет."
    page.get_by_label("Ответ заявителю").fill(answer)
    page.get_by_role("button", name="Отправить ответ").click()
    expect(page.get_by_text("Ответ отправлен заявителю.")).to_be_visible()
    page.get_by_role("button", name="Выйти").click()

    login(page, live_url, "citizen", "citizen-demo")
    page.goto(live_url + "/support/appeals/")
    page.get_by_role("link", name=appeal.number).click()
    expect(page.get_by_text("Заявление на проверке в МВД").first).to_be_visible()
    expect(page.locator(".status-tag").first).to_have_text("Дан ответ")
    assert_accessible("citizen sees the answer")
    page.get_by_text("Запросить пересмотр").click()
    page.get_by_label("Что в ответе не так").fill("В кабинете ничего нет.")
    page.get_by_role("button", name="Отправить на пересмотр").click()
    expect(page.get_by_text("Запрос на пересмотр принят")).to_be_visible()
    expect(page.locator(".status-tag").first).to_have_text("В работе")


CITIZEN_PAGES = [
    "/support/feedback/",
    "/support/feedback/consent/",
    "/support/appeals/lookup/",
    "/support/appeals/",
]


@pytest.mark.parametrize("mode", ["normal", "accessibility"])
def test_appeal_pages_pass_axe(
    page: Page, live_url, demo_data, assert_pages_accessible, accessibility_mode, mode
):
    from portal.models import User
    from support.appeals.models import Appeal

    if mode == "accessibility":
        # Signed-in people keep the mode on their profile, not in the cookie.
        User.objects.filter(username__in=["citizen", "supervisor"]).update(
            a11y_enabled=True, a11y_font_size="large", a11y_scheme="wb", a11y_images=False
        )
        accessibility_mode()  # the cookie, for the pages seen before signing in
    anonymous = ["/support/feedback/", "/support/appeals/lookup/?number=12345678"]
    assert_pages_accessible(anonymous, mode, " anonymous")
    login(page, live_url, "citizen", "citizen-demo")
    paths = [*CITIZEN_PAGES, *[a.get_absolute_url() for a in Appeal.objects.all()]]
    assert_pages_accessible(paths, mode)
    page.get_by_role("button", name="Выйти").click()
    login(page, live_url, "supervisor", "supervisor-demo")
    operator_paths = ["/support/operator/appeals/", "/support/operator/appeals/?overdue=on"]
    operator_paths += [a.get_operator_url() for a in Appeal.objects.all()]
    assert_pages_accessible(operator_paths, mode)
