"""Call-backs in a real browser: booked by keyboard alone, marked by an operator, axe-clean
in both modes."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_citizen_books_a_call_back_by_keyboard(page, live_url, demo_data, assert_accessible):
    from support.callbacks.models import Callback

    page.goto(live_url + "/support/callback/")
    assert_accessible("call-back page, signed out")
    # A visitor books here too; signing in puts the call-back among «Мои заявки».
    expect(page.get_by_label("Как к вам обращаться")).to_be_visible()
    expect(page.get_by_role("link", name="войдёте")).to_be_visible()

    login(page, live_url, "citizen", "citizen-demo")
    page.goto(live_url + "/support/callback/")
    assert_accessible("call-back form")
    phone = page.get_by_label("Телефон")
    phone.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("8 916 765-43-21")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Тема")).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    slot = page.get_by_label("Время звонка")
    expect(slot).to_be_focused()
    chosen = slot.input_value()
    assert chosen  # the nearest free time is chosen already
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Заказать звонок")).to_be_focused()
    page.keyboard.press("Enter")

    expect(
        page.get_by_role("heading", level=1, name=re.compile(r"Обратный звонок № \d{8}"))
    ).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="принята")).to_be_visible()
    callback = Callback.objects.filter(user__username="citizen").order_by("-created_at").first()
    assert callback.phone == "+79167654321" and callback.topic == "account"
    assert timezone.localtime(callback.slot.starts_at).strftime("%Y-%m-%dT%H:%M") == chosen
    assert_accessible("call-back confirmation")

    # Before its time the citizen may still cancel, by keyboard too.
    page.get_by_role("button", name="Отменить звонок").press("Enter")
    expect(page.get_by_text("Заявка на звонок отменена.")).to_be_visible()
    callback.refresh_from_db()
    assert callback.status == "cancelled"


def test_operator_marks_a_call_back_done(
    page, live_url, demo_data, assert_accessible, accessibility_mode
):
    from portal.models import User
    from portal.notifications.models import Notification
    from tests.support.callbacks.factories import callback_make

    citizen = User.objects.get(username="citizen")
    begun = timezone.now().replace(second=0, microsecond=0) - datetime.timedelta(minutes=5)
    callback = callback_make(user=citizen, starts_at=begun, number="55556666")

    login(page, live_url, "operator", "operator-demo")
    page.goto(live_url + "/support/operator/appeals/")
    page.get_by_role("link", name="Обратные звонки по времени").click()
    expect(page.get_by_role("heading", level=1, name="Обратные звонки")).to_be_visible()
    assert_accessible("operator call-backs")
    page.get_by_role("button", name="Звонок состоялся: № 55556666").click()
    expect(page.get_by_role("status").filter(has_text="звонок состоялся")).to_be_visible()
    callback.refresh_from_db()
    assert callback.status == "done"
    assert Notification.objects.filter(user=citizen, title__contains="55556666").exists()

    accessibility_mode()
    page.goto(live_url + "/support/operator/callbacks/")
    assert_accessible("operator call-backs, accessibility mode")
    expect(page.get_by_role("button", name="Звонок состоялся: № 55556666")).to_have_count(0)


def test_call_back_pages_pass_axe_in_accessibility_mode(
    page, live_url, demo_data, assert_accessible, accessibility_mode
):
    from support.callbacks.models import Callback

    accessibility_mode()
    page.goto(live_url + "/support/callback/")
    assert_accessible("call-back page signed out, accessibility mode")
    login(page, live_url, "citizen", "citizen-demo")
    page.goto(live_url + "/support/callback/")
    assert_accessible("call-back form, accessibility mode")
    page.get_by_role("button", name="Заказать звонок").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible("call-back form with errors, accessibility mode")
    waiting = Callback.objects.filter(user__username="citizen", status="requested").first()
    page.goto(live_url + waiting.get_absolute_url())
    assert_accessible("call-back page, accessibility mode")
