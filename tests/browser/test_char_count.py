"""Every long field says how much is left while the citizen types, at 320 px, and keeps an
over-long text instead of cutting it; the count is said politely to a screen reader."""

import pytest
from playwright.sync_api import Page, expect

from faq.actions import MAX_COMMENT
from support.appeals.rules import MAX_DESCRIPTION
from tests.browser.conftest import assert_no_sideways_scroll, screenshot

pytestmark = pytest.mark.browser

PHONE = {"width": 320, "height": 568}


@pytest.mark.parametrize("mode", ["normal", "accessible"])
def test_the_appeal_description_counts_down_and_says_how_much_is_over(
    page: Page, live_url, demo_data, assert_accessible, accessibility_mode, mode
):
    if mode == "accessible":
        accessibility_mode()
    page.set_viewport_size(PHONE)
    page.goto(live_url + "/support/feedback/")
    description = page.get_by_role("textbox", name="Описание", exact=True)
    count = page.locator("#id_description_count")
    expect(count).to_have_text(f"До {MAX_DESCRIPTION} символов.")
    expect(description).to_have_attribute(
        "aria-describedby", "id_description_helptext id_description_count"
    )

    description.press_sequentially("Не приходит")
    expect(count).to_have_text(f"Осталось символов: {MAX_DESCRIPTION - 11} из {MAX_DESCRIPTION}.")
    # Said once typing pauses, politely.
    live = page.locator('[data-char-count-live="id_description"]')
    expect(live).to_have_attribute("aria-live", "polite")
    expect(live).to_have_text(f"Осталось символов: {MAX_DESCRIPTION - 11} из {MAX_DESCRIPTION}.")

    # A long paste is kept whole: the count says how much is over, at once.
    description.fill("я" * (MAX_DESCRIPTION + 31))
    expect(count).to_have_text(
        f"Слишком длинно: на 31 симв. больше, чем можно ({MAX_DESCRIPTION})."
    )
    expect(live).to_have_text(f"Слишком длинно: на 31 симв. больше, чем можно ({MAX_DESCRIPTION}).")
    expect(description).to_have_attribute("aria-invalid", "true")
    assert len(description.input_value()) == MAX_DESCRIPTION + 31
    assert_no_sideways_scroll(page, f"feedback over the limit ({mode})")
    assert_accessible(f"feedback over the limit ({mode})")
    screenshot(page, f"count-feedback-320-{mode}")

    # Back under the limit: no longer marked.
    description.fill("я" * MAX_DESCRIPTION)
    expect(count).to_have_text(f"Осталось символов: 0 из {MAX_DESCRIPTION}.")
    expect(description).not_to_have_attribute("aria-invalid", "true")


def test_an_article_comment_is_counted_too(page: Page, live_url, demo_data, assert_accessible):
    from faq.models import Article

    article = Article.objects.published().select_related("category").first()
    page.set_viewport_size(PHONE)
    page.goto(live_url + article.get_absolute_url())
    page.get_by_text("Добавить комментарий").click()
    comment = page.get_by_role("textbox", name="Что можно улучшить? (необязательно)")
    comment.fill("Непонятно, где взять код")
    expect(page.locator("#id_comment_count")).to_have_text(
        f"Осталось символов: {MAX_COMMENT - 24} из {MAX_COMMENT}."
    )
    assert_no_sideways_scroll(page, "article with a comment")
    assert_accessible("article with a comment")
