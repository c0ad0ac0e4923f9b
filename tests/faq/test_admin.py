"""Editors publish and preview content; they cannot touch accounts."""

import pytest
from django.urls import reverse

from faq.actions import articles_publish, articles_unpublish
from faq.admin import ArticleAdmin
from faq.models import Article, Status
from faq.selectors import faq_search
from tests.faq.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db


def test_editor_writes_a_draft_then_publishes_it_and_it_becomes_searchable(client, editor):
    category = CategoryFactory(slug="registration")
    client.force_login(editor)
    response = client.post(
        reverse("admin:faq_article_add"),
        {
            "category": category.pk,
            "title_ru": "Как сменить номер телефона",
            "slug": "smena-telefona",
            "short_answer_ru": "В профиле нажмите «Изменить телефон».",
            "body_ru": "Подтвердите новый номер кодом из СМС.",
            "status": Status.DRAFT,
            "order": 0,
            "channels": ["chat"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(slug="smena-telefona")
    assert article.channels == ["chat"]
    assert faq_search(query="телефон").total == 0

    response = client.post(
        reverse("admin:faq_article_changelist"),
        {"action": "publish", "_selected_action": [article.pk]},
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED and article.published_at is not None
    assert faq_search(query="телефона").total == 1

    client.post(
        reverse("admin:faq_article_changelist"),
        {"action": "unpublish", "_selected_action": [article.pk]},
    )
    assert faq_search(query="телефона").total == 0


def test_article_history_is_kept(client, editor):
    article = ArticleFactory(title="Старый заголовок")
    client.force_login(editor)
    response = client.get(reverse("admin:faq_article_history", args=[article.pk]))
    assert response.status_code == 200


def test_deleting_an_article_removes_it_from_search(client, editor):
    article = ArticleFactory(title="Удаляемая статья про квитанции")
    client.force_login(editor)
    response = client.post(reverse("admin:faq_article_delete", args=[article.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert faq_search(query="квитанции").total == 0


def test_admin_lists_search_and_filter(client, editor):
    ArticleFactory(title="Про пароль")
    client.force_login(editor)
    response = client.get(
        reverse("admin:faq_article_changelist"), {"q": "пароль", "status": "published"}
    )
    assert response.status_code == 200
    assert "Про пароль" in response.content.decode()


def test_editors_see_what_popular_questions_are_ordered_by(client, editor):
    read = ArticleFactory(title="Часто читают")
    liked = ArticleFactory(title="Часто хвалят")
    Article.objects.filter(pk=read.pk).update(view_count=30, helpful_no=1)
    Article.objects.filter(pk=liked.pk).update(view_count=5, helpful_yes=2, helpful_no=1)
    client.force_login(editor)
    page = client.get(reverse("admin:faq_article_change", args=[liked.pk])).content.decode()
    assert 'class="readonly">20<' in page  # 5 + 10 × 2 − 5 × 1
    column = ArticleAdmin.list_display.index("popularity") + 1
    changelist = client.get(reverse("admin:faq_article_changelist"), {"o": f"-{column}"})
    content = changelist.content.decode()
    assert content.index("Часто читают") < content.index("Часто хвалят")  # 25 before 20


def test_editor_cannot_see_or_change_users(client, editor, citizen):
    client.force_login(editor)
    assert client.get(reverse("admin:portal_user_changelist")).status_code == 403
    assert client.get(reverse("admin:portal_user_change", args=[citizen.pk])).status_code == 403
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403


def test_editor_manages_contacts_and_synonyms(client, editor):
    client.force_login(editor)
    assert client.get(reverse("admin:contacts_contactchannel_changelist")).status_code == 200
    assert client.get(reverse("admin:faq_synonymgroup_add")).status_code == 200
    assert client.get(reverse("admin:faq_zeroresultquery_changelist")).status_code == 200


def test_citizen_cannot_reach_the_admin(client, citizen):
    client.force_login(citizen)
    response = client.get(reverse("admin:faq_article_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_republishing_keeps_the_date_of_the_first_publication():
    article = ArticleFactory(title="Как оплатить пошлину")
    first = article.published_at
    assert first is not None
    assert articles_unpublish(articles=[article]) == 1
    assert faq_search(query="пошлину").total == 0
    assert articles_publish(articles=Article.objects.filter(pk=article.pk)) == 1
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED and article.published_at == first
    assert faq_search(query="пошлину").total == 1
