"""Planned technical works are announced ahead (from the editors' lead time) on every page, at
320 px: when, and what will be unavailable; hidden for the session, back once the works start."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_no_sideways_scroll, in_worker_thread, screenshot

pytestmark = pytest.mark.browser

PHONE = {"width": 320, "height": 568}


def _work_ahead(hours: float, announce_hours: int):
    from support.maintenance.actions import technical_works_changed
    from support.maintenance.models import TechnicalWork

    start = timezone.now() + datetime.timedelta(hours=hours)
    work = TechnicalWork.objects.create(
        title="Обновление платёжного шлюза",
        description="Меняем оборудование платёжного шлюза.",
        unavailable="оплата госпошлин и штрафов",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        started_work="Начатые платежи не спишутся.",
        announce_hours=announce_hours,
    )
    technical_works_changed()
    return work


@pytest.mark.parametrize("mode", ["normal", "accessible"])
def test_a_work_ahead_is_announced_on_every_page_with_what_and_when(
    page: Page, live_url, transactional_db, assert_accessible, accessibility_mode, mode
):
    work = in_worker_thread(_work_ahead, 20, 24)
    if mode == "accessible":
        accessibility_mode()
    page.set_viewport_size(PHONE)
    begins = timezone.localtime(work.starts_at)
    for path in ("/", "/help/faq/", "/services/"):
        page.goto(live_url + path)
        banner = page.get_by_role("region", name="Технические работы")
        expect(banner).to_be_visible()
        # «с 21:37 до …», or «с 8 декабря 21:37 до 9 декабря 00:37» when the works run
        # past midnight (as they do when this runs between 01:00 and 04:00 in Moscow). The
        # pattern runs in the browser: JavaScript's \w knows no Cyrillic letter.
        expect(banner).to_contain_text(re.compile(rf"с (\d+\s\S+\s)?{begins:%H:%M}\sдо\s"))
        expect(banner).to_contain_text("Будут недоступны: оплата госпошлин и штрафов.")
        # On the first screen, under the header.
        box = banner.bounding_box()
        assert box is not None and box["y"] < PHONE["height"] / 2, box
        assert_no_sideways_scroll(page, f"{path} with a work ahead ({mode})")
    assert_accessible(f"work ahead ({mode})")
    screenshot(page, f"works-ahead-320-{mode}")

    banner = page.get_by_role("region", name="Технические работы")
    banner.get_by_role("button", name="Скрыть это сообщение").click()
    expect(banner).to_have_count(0)
    page.goto(live_url + "/help/faq/")
    expect(page.get_by_role("region", name="Технические работы")).to_have_count(0)
    # The status page still lists it, with what will be unavailable.
    page.goto(live_url + "/support/status/")
    planned = page.locator(f"#work-{work.pk}")
    expect(planned).to_contain_text("Оплата госпошлин и штрафов")


def test_no_warning_before_the_lead_time(page: Page, live_url, transactional_db):
    in_worker_thread(_work_ahead, 30, 24)
    page.set_viewport_size(PHONE)
    page.goto(live_url + "/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("region", name="Технические работы")).to_have_count(0)
