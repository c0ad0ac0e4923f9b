"""Technical works on the English site, on a phone (320 px): a work with English texts is
announced in English, an untranslated one in Russian marked for screen readers, on every
page's banner and on the works page. axe and no sideways scrolling in both modes."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_no_sideways_scroll, in_worker_thread, screenshot

pytestmark = pytest.mark.browser

PHONE = {"width": 320, "height": 568}
MARKER = "Not yet translated — shown in Russian"


def _works():
    from support.maintenance.actions import technical_works_changed
    from support.maintenance.models import TechnicalWork

    now = timezone.now()
    ahead = TechnicalWork.objects.create(
        title="Обновление платёжного шлюза",
        title_en="Payment gateway update",
        description="Меняем оборудование платёжного шлюза.",
        description_en="We are replacing the payment gateway's hardware.",
        unavailable="оплата госпошлин и штрафов",
        unavailable_en="paying state fees and fines",
        started_work="Начатые платежи не спишутся.",
        started_work_en="Payments in progress will not be charged.",
        starts_at=now + datetime.timedelta(hours=20),
        ends_at=now + datetime.timedelta(hours=23),
    )
    current = TechnicalWork.objects.create(  # not translated yet
        title="Обновление личного кабинета",
        description="Вход на портал недоступен.",
        started_work="Черновики сохранятся.",
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=1),
    )
    technical_works_changed()
    return ahead, current


@pytest.mark.parametrize("mode", ["normal", "accessible"])
def test_works_in_english_with_the_untranslated_marked(
    page: Page, live_url, transactional_db, assert_accessible, accessibility_mode, mode
):
    ahead, current = in_worker_thread(_works)
    if mode == "accessible":
        accessibility_mode()
    page.set_viewport_size(PHONE)
    page.goto(live_url + "/")
    page.get_by_role("button", name="Меню").click()
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    for path in ("/", "/help/faq/"):
        page.goto(live_url + path)
        going_on = page.get_by_role("region", name=re.compile("^Technical works in progress"))
        expect(going_on).to_be_visible()
        title = going_on.get_by_role("heading").locator("span[lang=ru]")
        expect(title).to_have_text("Обновление личного кабинета")
        expect(going_on.locator("p[lang=ru]")).to_have_text("Черновики сохранятся.")
        announced = page.get_by_role("region", name=re.compile(r"^Technical works (on|from) "))
        expect(announced).to_contain_text("Unavailable: paying state fees and fines.")
        expect(announced.locator("[lang=ru]")).to_have_count(0)
        name = f"works-english-banner{path.replace('/', '-')}{mode}"
        assert_accessible(name)
        assert_no_sideways_scroll(page, name)

    page.goto(live_url + "/support/status/")
    translated = page.locator(f"#work-{ahead.pk}")
    expect(translated.get_by_role("heading", level=3)).to_have_text("Payment gateway update")
    expect(translated).to_contain_text("Payments in progress will not be charged.")
    expect(translated.get_by_text(MARKER)).to_have_count(0)
    untranslated = page.locator(f"#work-{current.pk}")
    heading = untranslated.get_by_role("heading", level=3)
    expect(heading).to_have_text("Обновление личного кабинета")
    expect(heading).to_have_attribute("lang", "ru")
    expect(untranslated.get_by_role("note").filter(has_text=MARKER)).to_be_visible()
    assert_accessible(f"works-english-page-{mode}")
    assert_no_sideways_scroll(page, f"works-english-page-{mode}")
    screenshot(page, f"works-english-page-{mode}")
