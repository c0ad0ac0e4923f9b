"""A phone (320 px), an appeal with a file attached, and the session gone before sending:
nothing typed is lost, and the appeal is never registered without its file."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_phone_layout import PHONE, check_fits
from tests.support.appeals.factories import PDF

pytestmark = pytest.mark.browser

SUBJECT = "Не приходит СМС с кодом"
DESCRIPTION = "Третий день не приходит СМС при входе. Номер телефона тот же."


def _fill(page: Page, live_url: str, pdf) -> None:
    page.set_viewport_size(PHONE)
    page.goto(live_url + "/support/feedback/")
    page.get_by_label("Тема обращения").select_option(label="Вход и учётная запись")
    page.get_by_label("Кратко о вопросе").fill(SUBJECT)
    page.get_by_role("textbox", name="Описание", exact=True).fill(DESCRIPTION)
    page.get_by_role("textbox", name="Электронная почта", exact=True).fill("anna@example.org")
    page.get_by_label("Файлы", exact=True).set_input_files(str(pdf))
    expect(page.locator("#appeal-file-list li").filter(has_text="загружен")).to_have_count(1)
    page.get_by_label("Я даю согласие на обработку моих персональных данных").check()


def _kept(page: Page) -> None:
    expect(page.get_by_label("Кратко о вопросе")).to_have_value(SUBJECT)
    expect(page.get_by_role("textbox", name="Описание", exact=True)).to_have_value(DESCRIPTION)
    expect(page.get_by_role("textbox", name="Электронная почта", exact=True)).to_have_value(
        "anna@example.org"
    )
    expect(page.get_by_label("Тема обращения")).to_have_value(re.compile(r"\d+"))


def _send_again_with_the_file(page: Page, pdf) -> None:
    page.get_by_label("Файлы", exact=True).set_input_files(str(pdf))
    expect(page.locator("#appeal-file-list li").filter(has_text="загружен")).to_have_count(1)
    page.get_by_role("button", name="Отправить обращение").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Обращение зарегистрировано")
    page.get_by_role("link", name="Открыть обращение").click()
    expect(page.get_by_role("link", name="скан.pdf")).to_be_visible()


@pytest.mark.parametrize("lost", ["session cookie", "all cookies"])
def test_session_lost_after_attaching_keeps_the_text_and_asks_for_the_file(
    page: Page, live_url, demo_data, assert_accessible, tmp_path, lost
):
    pdf = tmp_path / "скан.pdf"
    pdf.write_bytes(PDF)
    _fill(page, live_url, pdf)

    if lost == "session cookie":
        page.context.clear_cookies(name="sessionid")
    else:
        page.context.clear_cookies()
    page.get_by_role("button", name="Отправить обращение").click()

    # The portal's own form, not Django's 403, with what was typed and why the file is asked.
    expect(page.get_by_role("heading", level=1)).to_have_text("Обратная связь")
    summary = page.get_by_role("alert").filter(has_text="Проверьте, пожалуйста, форму")
    expect(summary).to_contain_text("«скан.pdf»")
    expect(summary).to_contain_text("приложите их ещё раз")
    if lost == "all cookies":
        expect(summary).to_contain_text("Сеанс на сайте истёк")
    _kept(page)
    check_fits(page, f"feedback after losing the {lost}")
    assert_accessible(f"feedback after losing the {lost}")
    page.screenshot(path=str(tmp_path / f"lost-{lost.replace(' ', '-')}.png"), full_page=True)

    _send_again_with_the_file(page, pdf)
