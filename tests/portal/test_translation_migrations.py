"""The migrations that brought the English columns keep every row's Russian text."""

import pytest
from django.utils import translation

from faq.models import Article, Category
from tests.migrations import migrate, migrate_to_latest

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("faq", "0006_article_popularity")]
AFTER = [("faq", "0007_translations")]


def test_existing_articles_keep_their_russian_text_and_have_no_english():
    old = migrate(BEFORE)
    try:
        old_category = old.get_model("faq", "Category").objects.create(
            slug="registration", title="Регистрация и вход", description="Пароль и вход."
        )
        old.get_model("faq", "Article").objects.create(
            category_id=old_category.pk,
            slug="vosstanovit-parol",
            title="Как восстановить пароль",
            short_answer="Нажмите «Восстановить».",
            body="## Шаги",
            status="published",
        )
    finally:
        migrate(AFTER)
        migrate_to_latest()

    article = Article.objects.get(slug="vosstanovit-parol")
    assert (article.title_ru, article.short_answer_ru, article.body_ru) == (
        "Как восстановить пароль",
        "Нажмите «Восстановить».",
        "## Шаги",
    )
    assert article.title_en is None
    assert Category.objects.get(slug="registration").description_ru == "Пароль и вход."
    with translation.override("en"):  # shown in Russian until an editor translates it
        assert article.title == "Как восстановить пароль"
