"""Content in English beside the Russian: served by the reader's language, marked where a
text has no translation yet, edited side by side, searched in the reader's language."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from faq.models import Article
from faq.selectors import faq_search, faq_suggest
from portal.catalogue.selectors import CatalogueQuery, catalogue_search
from portal.content_language import shown_in_original, untranslated_fields
from portal.search.languages import language_kind
from portal.search.models import SearchDocument
from portal.search.selectors import search_plan_build
from support.chat.bot import bot_reply
from support.contacts.models import ContactChannel
from tests.faq.factories import ArticleFactory, CategoryFactory
from tests.portal.catalogue_factories import ServiceFactory

pytestmark = pytest.mark.django_db

MARKER = "Not yet translated — shown in Russian"


@pytest.fixture
def translated():
    category = CategoryFactory(
        slug="registration", title="Регистрация и вход", title_en="Registration and signing in"
    )
    return ArticleFactory(
        category=category,
        slug="vosstanovit-parol",
        title="Как восстановить пароль",
        title_en="How to reset your password",
        short_answer="Нажмите «Восстановить» на странице входа.",
        short_answer_en="Click «Reset» on the sign-in page.",
        body="## Как восстановить\nВведите код из СМС.",
        body_en="## How to reset it\nEnter the code from the SMS.",
    )


@pytest.fixture
def untranslated(translated):
    return ArticleFactory(
        category=translated.category,
        slug="ochistit-kesh",
        title="Как очистить кэш браузера",
        short_answer="Откройте настройки браузера и удалите файлы кэша.",
    )


def english(client, url: str):
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en")


def test_translated_fields_are_served_in_the_readers_language(translated):
    article = Article.objects.get(pk=translated.pk)
    with translation.override("en"):
        assert article.title == "How to reset your password"
        assert article.category.title == "Registration and signing in"
    with translation.override("ru"):
        assert article.title == "Как восстановить пароль"


def test_an_untranslated_text_falls_back_to_russian_and_says_so(untranslated):
    with translation.override("en"):
        assert untranslated.title == "Как очистить кэш браузера"
        assert untranslated_fields(untranslated) == ["title", "short_answer"]
    with translation.override("ru"):
        assert untranslated_fields(untranslated) == []
    # An empty English text is no translation; an empty Russian one needs none.
    untranslated.title_en = ""
    with translation.override("en"):
        assert shown_in_original(untranslated, "title")
        assert not shown_in_original(untranslated, "body")


def test_a_translated_article_reads_in_english_without_the_marker(client, translated):
    response = english(client, translated.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 id="article-title">How to reset your password</h1>' in html
    assert "Enter the code from the SMS." in html
    assert "Как восстановить пароль" not in html
    assert MARKER not in html


def test_an_untranslated_article_is_marked_and_its_russian_is_tagged(client, untranslated):
    html = english(client, untranslated.get_absolute_url()).content.decode()
    assert MARKER in html
    assert '<h1 id="article-title" lang="ru">Как очистить кэш браузера</h1>' in html
    assert 'lang="ru">Откройте настройки браузера' in html
    # In Russian the same page has nothing to mark.
    russian = client.get(untranslated.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ru")
    assert "Перевод пока не готов" not in russian.content.decode()
    assert 'id="article-title" lang="ru"' not in russian.content.decode()


def test_lists_mark_only_the_untranslated_items(client, translated, untranslated):
    html = english(client, translated.category.get_absolute_url()).content.decode()
    assert 'lang="ru">Как очистить кэш браузера</a>' in html
    assert ">How to reset your password</a>" in html
    assert html.count("in Russian</span>") == 1


def test_the_hub_serves_english_topics_and_questions(client, translated, untranslated):
    html = english(client, reverse("support:hub")).content.decode()
    assert "How to reset your password" in html
    assert "Registration and signing in" in html
    assert 'lang="ru">Как очистить кэш браузера</a>' in html


def test_a_service_page_in_english(client):
    service = ServiceFactory(
        title="Запись к врачу",
        title_en="Making a doctor's appointment",
        summary="Запись на приём в поликлинику.",
        summary_en="An appointment at your clinic.",
        cost_en="Free",
    )
    untranslated = ServiceFactory(title="Справка о несудимости")
    html = english(client, service.get_absolute_url()).content.decode()
    assert "Making a doctor&#x27;s appointment</h1>" in html
    assert "An appointment at your clinic." in html
    assert MARKER not in html
    html = english(client, untranslated.get_absolute_url()).content.decode()
    assert MARKER in html and 'lang="ru">Справка о несудимости</h1>' in html


def test_the_contacts_page_serves_english_channel_texts(client):
    ContactChannel.objects.create(
        kind="phone",
        title="Единый контакт-центр",
        title_en="Single contact centre",
        value="8 800 555-35-35",
        note="Бесплатно по России.",
        note_en="Free across Russia.",
        always_open=True,
    )
    html = english(client, reverse("support:contacts")).content.decode()
    assert "Single contact centre" in html and "Free across Russia." in html
    assert "Единый контакт-центр" not in html


def test_the_admin_edits_both_languages_side_by_side(client, editor, translated):
    client.force_login(editor)
    url = reverse("admin:faq_article_change", args=[translated.pk])
    html = client.get(url).content.decode()
    for field in ("title", "short_answer", "body"):
        russian = html.index(f'name="{field}_ru"')
        assert html.index(f'name="{field}_en"') > russian  # the pair, Russian first
    assert "Вопрос [ru]" in html and "Вопрос [en]" in html
    response = client.post(
        url,
        {
            "category": translated.category_id,
            "title_ru": translated.title,
            "title_en": "Resetting a forgotten password",
            "slug": translated.slug,
            "short_answer_ru": translated.short_answer,
            "short_answer_en": "Use «Reset» on the sign-in page.",
            "body_ru": translated.body,
            "body_en": "",
            "status": "published",
            "order": "0",
        },
    )
    assert response.status_code == 302
    translated.refresh_from_db()
    assert translated.title_en == "Resetting a forgotten password"
    assert translated.title_ru == "Как восстановить пароль"
    # Saved through the action: the English index has the new words at once.
    with translation.override("en"):
        assert [h.article.pk for h in faq_search(query="forgotten").hits] == [translated.pk]


def test_the_admin_refuses_an_article_without_its_russian_title(client, editor, translated):
    client.force_login(editor)
    url = reverse("admin:faq_article_change", args=[translated.pk])
    response = client.post(
        url,
        {
            "category": translated.category_id,
            "title_ru": "",
            "title_en": "Only English",
            "slug": translated.slug,
            "short_answer_ru": translated.short_answer,
            "status": "published",
            "order": "0",
        },
    )
    assert response.status_code == 200
    assert "title_ru" in response.context["adminform"].form.errors
    translated.refresh_from_db()
    assert translated.title_ru == "Как восстановить пароль"
    assert translated.title_en == "How to reset your password"


def test_the_services_csv_stays_the_russian_original_in_the_english_admin(client, editor):
    ServiceFactory(title="Запись к врачу", title_en="Making a doctor's appointment")
    client.force_login(editor)
    response = client.get(reverse("admin:catalogue_service_export"), HTTP_ACCEPT_LANGUAGE="en")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    titles = [row[1] for row in csv.reader(io.StringIO(text), delimiter=";")][1:]
    assert titles == ["Запись к врачу"]


def test_each_language_has_its_index(translated, untranslated):
    kinds = set(SearchDocument.objects.values_list("kind", flat=True))
    assert kinds == {"faq", "faq_en"}
    with translation.override("en"):
        assert language_kind("faq") == "faq_en"
    assert language_kind("faq", "ru") == "faq"
    assert language_kind("faq_en", "ru") == "faq_en"  # already a language's kind


def test_english_search_finds_english_content(translated, untranslated):
    with translation.override("en"):
        page = faq_search(query="reset forgotten password")
        assert [hit.article.pk for hit in page.hits] == [translated.pk]
        assert "<mark>password</mark>" in page.hits[0].title_html
        suggestions = faq_suggest(query="how to res")
        assert suggestions and suggestions[0].url == translated.get_absolute_url()


def test_untranslated_content_is_found_by_its_russian_words_in_english(translated, untranslated):
    with translation.override("en"):
        page = faq_search(query="очистить кэш")
        assert [hit.article.pk for hit in page.hits] == [untranslated.pk]
        # A translated article is searched by its English words only: a Russian word finds
        # it only by meaning (the sentence vectors are multilingual), never as the answer.
        russian = faq_search(query="пароль")
        assert translated.pk not in [h.article.pk for h in russian.hits] or russian.no_good_answer


def test_russian_search_is_unaffected(translated, untranslated):
    with translation.override("ru"):
        assert [h.article.pk for h in faq_search(query="пароль").hits] == [translated.pk]
        english = faq_search(query="sign-in page reset")
        assert english.hits == [] or english.no_good_answer


def test_remembered_results_are_kept_per_language(translated):
    with translation.override("ru"):
        assert faq_search(query="пароль").hits[0].title_html.startswith("Как восстановить")
    with translation.override("en"):
        page = faq_search(query="password")
        assert page.hits[0].title_html == "How to reset your <mark>password</mark>"


def test_an_unpublished_article_leaves_every_languages_index(translated):
    from faq.actions import articles_unpublish

    articles_unpublish(articles=[translated])
    assert not SearchDocument.objects.filter(object_id=translated.pk).exists()


def test_the_catalogue_searches_and_sorts_in_english():
    first = ServiceFactory(title="Оплата штрафов", title_en="Paying fines")
    second = ServiceFactory(title="Запись к врачу", title_en="Booking a doctor")
    untranslated = ServiceFactory(title="Аннулирование паспорта")
    with translation.override("en"):
        page = catalogue_search(query=CatalogueQuery(q="fines"))
        assert [hit.service.pk for hit in page.hits] == [first.pk]
        everything = catalogue_search(query=CatalogueQuery(sort="title"))
        # By the title the reader sees: the English ones, the Russian one among them.
        assert [hit.service.pk for hit in everything.hits] == [second.pk, first.pk, untranslated.pk]


def test_the_bot_answers_in_english_with_english_articles(translated, untranslated):
    reply = bot_reply(user=None, text="how do I reset my password?", language="en")
    assert reply.text == "Here is what I found in the answers to frequent questions:"
    assert reply.data["articles"][0]["title"] == "How to reset your password"
    assert "lang" not in reply.data["articles"][0]
    russian = bot_reply(user=None, text="очистить кэш", language="en")
    assert russian.data["articles"][0]["title"] == "Как очистить кэш браузера"
    assert russian.data["articles"][0]["lang"] == "ru"


def test_english_words_are_not_read_as_russian_on_the_english_site(translated, untranslated):
    with translation.override("en"):
        # "code" as «коде», "line" as «лине»: the Russian site's readings of Latin letters.
        plan = search_plan_build(kind="faq", query="help line code")
        assert not plan.was_changed
        assert [group.alternatives for group in plan.groups] == [
            [("help",)],
            [("line",)],
            [("code",)],
        ]
    with translation.override("ru"):
        plan = search_plan_build(kind="faq", query="gfhjkm")  # «пароль», wrong layout
        assert plan.shown_text == "пароль"


def test_suggestions_mark_an_untranslated_title(translated, untranslated):
    with translation.override("en"):
        (russian,) = faq_suggest(query="очистить кэ")
        assert russian.url == untranslated.get_absolute_url() and russian.lang == "ru"
        (english,) = faq_suggest(query="reset pass")
        assert english.url == translated.get_absolute_url() and english.lang == ""
