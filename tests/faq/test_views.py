"""The FAQ pages as a citizen (and a screen reader) gets them."""

import pytest
from django.urls import reverse

from faq import actions
from faq.models import Status, SynonymGroup, ZeroResultQuery
from faq.selectors import faq_popular
from portal.catalogue.actions import service_save
from tests.faq.factories import ArticleFactory, CategoryFactory
from tests.portal.catalogue_factories import ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles():
    registration = CategoryFactory(slug="registration", title="Регистрация и вход")
    applications = CategoryFactory(slug="applications", title="Заявления")
    password = ArticleFactory(
        category=registration,
        slug="password",
        title="Как восстановить пароль",
        short_answer="Нажмите «Восстановить» на странице входа.",
        body="## Шаги\n1. Откройте страницу входа.\n2. Введите <script>alert(1)</script> код.",
    )
    apply = ArticleFactory(
        category=applications,
        slug="apply",
        title="Как подать заявление",
        short_answer="Заполните форму заявления онлайн.",
        related=[password],
    )
    draft = ArticleFactory(
        category=applications,
        slug="draft",
        title="Черновик про заявления",
        status=Status.DRAFT,
    )
    return {"password": password, "apply": apply, "draft": draft}


def test_search_finds_word_forms_and_highlights_them(client, articles):
    response = client.get(reverse("faq:index"), {"q": "заявлений"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Как подать <mark>заявление</mark>" in content
    assert "Черновик" not in content
    assert 'role="status"' in content


def test_search_shows_what_was_searched_after_a_layout_fix(client, articles):
    content = client.get(reverse("faq:index"), {"q": "gfhjkm"}).content.decode()
    assert "Показаны результаты по запросу «пароль»" in content
    assert "Как восстановить" in content


def test_no_results_page_offers_channels_and_records_the_gap(client, articles):
    response = client.get(reverse("faq:index"), {"q": "Квантовый телепорт"})
    content = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in content
    assert "ничего не нашлось" in content
    gap = ZeroResultQuery.objects.get()
    assert gap.normalized == "квантовый телепорт" and gap.count == 1
    client.get(reverse("faq:index"), {"q": "квантовый   ТЕЛЕПОРТ"})
    gap.refresh_from_db()
    assert gap.count == 2


@pytest.mark.parametrize(
    "query",
    ["x" * 10_000, "!!!", '"', "*", "NEAR(", "OR", "--", "'", "a\x00b", "🙂 日本 пароль", "ß"],
)
def test_hostile_queries_give_a_normal_page(client, articles, query):
    response = client.get(reverse("faq:index"), {"q": query})
    assert response.status_code == 200


def test_page_beyond_the_end_shows_the_last_page(client, articles):
    response = client.get(reverse("faq:index"), {"q": "пароль", "page": "999"})
    assert response.status_code == 200
    assert "Как восстановить" in response.content.decode()
    assert client.get(reverse("faq:index"), {"q": "пароль", "page": "abc"}).status_code == 200


def test_editor_synonyms_apply_at_once(client, articles, editor):
    before = client.get(reverse("faq:index"), {"q": "секретное слово"}).content.decode()
    # Only near in meaning: offered, but not as the answer.
    assert "Возможно, подойдёт" in before
    client.force_login(editor)
    response = client.post(
        reverse("admin:faq_synonymgroup_add"), {"terms": "пароль\nсекретное слово", "note": ""}
    )
    assert response.status_code == 302
    assert SynonymGroup.objects.count() == 1
    content = client.get(reverse("faq:index"), {"q": "секретное слово"}).content.decode()
    assert "Как восстановить" in content and "Возможно, подойдёт" not in content


def test_search_page_runs_a_constant_number_of_queries(
    client, articles, production_caches, django_assert_max_num_queries
):
    for n in range(25):
        ArticleFactory(category=articles["apply"].category, title=f"Заявление номер {n}")
    # Synonyms, works banner, footer channels; the article search (known stems, how
    # many hold every word, the candidates, their bm25, the documents and word
    # frequencies in one statement, the articles) and the same for the matching
    # catalogue services (+ the services); each kind's sentence vectors, read once per
    # index generation.
    with django_assert_max_num_queries(15):
        response = client.get(reverse("faq:index"), {"q": "заявление"})
    assert response.content.decode().count('class="result"') == 10
    # The same query again is answered from memory and its results were rendered once
    # (the synonyms, the works banner and the footer are cached): nothing is read.
    with django_assert_max_num_queries(0):
        again = client.get(reverse("faq:index"), {"q": "заявление"})
    results = '<section id="faq-results"'
    assert results in response.content.decode()
    assert again.content.decode().split(results)[1] == response.content.decode().split(results)[1]


def test_a_remembered_search_shows_an_edited_article_as_edited(client, articles):
    assert "Как подать <mark>заявление</mark>" in (
        client.get(reverse("faq:index"), {"q": "заявление"}).content.decode()
    )
    article = articles["apply"]
    article.title = "Как отправить заявление"
    article.short_answer = "Новая форма заявления."
    actions.article_save(article=article)
    content = client.get(reverse("faq:index"), {"q": "заявление"}).content.decode()
    assert "Как отправить <mark>заявление</mark>" in content
    assert "Новая форма <mark>заявления</mark>." in content
    assert "Как подать" not in content


def _results(client, query: str, **params) -> str:
    content = client.get(reverse("faq:index"), {"q": query, **params}).content.decode()
    return content.split('<section id="faq-results"')[1].split("</section>")[0]


def test_remembered_results_follow_an_editors_category_change(client, articles, editor):
    assert "Регистрация и вход" in _results(client, "пароль")
    client.force_login(editor)
    category = articles["password"].category
    change = reverse("admin:faq_category_change", args=[category.pk])
    form = {"title_ru": "Вход на портал", "slug": category.slug, "order": "0", "is_visible": "on"}
    assert client.post(change, form).status_code == 302
    results = _results(client, "пароль")
    assert "Вход на портал" in results and "Регистрация и вход" not in results
    # Hidden: its articles are no longer shown.
    del form["is_visible"]
    assert client.post(change, form).status_code == 302
    assert "Как восстановить" not in _results(client, "пароль")


def test_remembered_results_follow_a_catalogue_change(client, articles):
    service = ServiceFactory(title="Восстановление пароля от портала")
    assert "Восстановление пароля от портала" in _results(client, "пароль")
    service.title = "Сброс пароля учётной записи"
    service_save(service=service)
    results = _results(client, "пароль")
    assert "Сброс пароля учётной записи" in results
    assert "Восстановление пароля от портала" not in results


def test_remembered_results_are_kept_per_language_and_page(client, articles):
    for n in range(12):
        ArticleFactory(category=articles["apply"].category, title=f"Заявление номер {n}")
    first = _results(client, "заявление")
    assert first.count('class="result"') == 10
    second = _results(client, "заявление", page=2)
    assert second.count('class="result"') == 3 and second != first
    client.cookies["django_language"] = "en"
    english = _results(client, "заявление")
    assert english.count('class="result"') == 10 and english != first
    assert "Найдено 13 статей" in first
    assert "13 articles found" in english and "Найдено" not in english


def test_htmx_pages_of_results_are_the_same_fragment(client, articles):
    for n in range(12):
        ArticleFactory(category=articles["apply"].category, title=f"Заявление номер {n}")
    page = _results(client, "заявление", page=2)
    fragment = client.get(
        reverse("faq:index"),
        {"q": "заявление", "page": 2},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="faq-results",
    ).content.decode()
    assert "<html" not in fragment and page in fragment


def test_a_remembered_search_drops_an_unpublished_article(client, articles):
    assert "Как подать" in client.get(reverse("faq:index"), {"q": "заявление"}).content.decode()
    actions.articles_unpublish(articles=[articles["apply"]])
    assert "Как подать" not in (
        client.get(reverse("faq:index"), {"q": "заявление"}).content.decode()
    )


def test_a_search_page_ranks_once_when_results_are_not_remembered(
    client, articles, settings, production_caches, django_assert_max_num_queries
):
    settings.SEARCH_RESULT_MEMO = False
    for n in range(25):
        ArticleFactory(category=articles["apply"].category, title=f"Заявление номер {n}")
    client.get(reverse("faq:index"), {"q": "заявление"})
    # Words remembered: the candidates and their bm25 for the articles, the articles,
    # the same two for the services, the services.
    with django_assert_max_num_queries(6):
        response = client.get(reverse("faq:index"), {"q": "заявление"})
    assert response.content.decode().count('class="result"') == 10


def test_suggestions_run_a_constant_number_of_queries(
    client, articles, django_assert_max_num_queries
):
    for n in range(25):
        ArticleFactory(category=articles["apply"].category, title=f"Восстановление {n}")
    # Synonyms, known stems, typo neighbours of the unfinished word, how many hold
    # every word, the candidates, their bm25, the articles: 7 at most, cold; and for
    # the catalogue's services the same but the synonyms (their known stems, typo
    # neighbours (+ trigrams on PostgreSQL), candidates and bm25 with the word
    # frequencies), 4 or 5 more; the articles' word frequencies (they are judged too, for
    # which kind leads); and each kind's sentence vectors, once per index generation
    # (meaning is read while the last word is typed too).
    with django_assert_max_num_queries(15):
        response = client.get(
            reverse("faq:suggest"), {"q": "восстан", "for": "hub-q"}, HTTP_HX_REQUEST="true"
        )
    assert response.content.decode().count('role="option"') == 8
    # Then only the ranking and the articles.
    with django_assert_max_num_queries(4):
        again = client.get(
            reverse("faq:suggest"), {"q": "восстан", "for": "hub-q"}, HTTP_HX_REQUEST="true"
        )
    assert again.content.decode().count('role="option"') == 8


def test_suggestions_are_an_htmx_fragment_of_options(client, articles):
    response = client.get(
        reverse("faq:suggest"), {"q": "восстан", "for": "hub-q"}, HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert 'role="option"' in content and 'id="hub-q-option-1"' in content
    assert "<html" not in content
    assert f'data-href="{articles["password"].get_absolute_url()}"' in content


def test_suggestions_without_javascript_redirect_to_the_search(client, articles):
    response = client.get(reverse("faq:suggest"), {"q": "пароль"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("faq:index"))


def test_htmx_search_returns_only_the_results_region(client, articles):
    response = client.get(
        reverse("faq:index"), {"q": "пароль"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="faq-results"
    )
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="faq-results"')


def test_article_page_renders_safe_markdown_and_related(client, articles):
    response = client.get(articles["apply"].get_absolute_url())
    assert response.status_code == 200
    response = client.get(articles["password"].get_absolute_url())
    content = response.content.decode()
    assert "<h2>Шаги</h2>" in content
    assert "<script>alert" not in content
    assert "Был ли ответ полезен?" in content


def test_related_articles_are_listed(client, articles):
    content = client.get(articles["apply"].get_absolute_url()).content.decode()
    assert "Смотрите также" in content and "Как восстановить пароль" in content


def test_drafts_and_unknown_articles_are_404(client, articles):
    assert client.get(articles["draft"].get_absolute_url()).status_code == 404
    assert client.get("/help/faq/registration/nothing/").status_code == 404
    assert client.get("/help/faq/nothing/").status_code == 404


def test_views_count_once_per_visit(client, articles):
    url = articles["password"].get_absolute_url()
    client.get(url)
    client.get(url)
    articles["password"].refresh_from_db()
    assert articles["password"].view_count == 1


def test_popular_questions_follow_views_and_votes(articles):
    type(articles["apply"]).objects.filter(pk=articles["apply"].pk).update(view_count=50)
    type(articles["password"]).objects.filter(pk=articles["password"].pk).update(
        view_count=10, helpful_yes=10
    )
    assert [a.slug for a in faq_popular()] == ["password", "apply"]


def test_a_no_vote_takes_five_views_off(articles):
    type(articles["apply"]).objects.filter(pk=articles["apply"].pk).update(view_count=50)
    type(articles["password"]).objects.filter(pk=articles["password"].pk).update(
        view_count=54, helpful_no=1
    )
    assert [a.slug for a in faq_popular()] == ["apply", "password"]
    type(articles["password"]).objects.filter(pk=articles["password"].pk).update(
        view_count=56, helpful_no=1
    )
    assert [a.slug for a in faq_popular()] == ["password", "apply"]


def test_popular_questions_are_only_what_citizens_may_read(articles):
    hidden = CategoryFactory(slug="hidden", title="Скрытая", is_visible=False)
    ArticleFactory(category=hidden, slug="secret", title="Скрытая статья")
    type(articles["draft"]).objects.update(view_count=1000)
    assert [a.slug for a in faq_popular()] == ["password", "apply"]
    assert [a.slug for a in faq_popular(limit=1)] == ["password"]


def test_category_page_lists_published_articles(client, articles):
    response = client.get(articles["apply"].category.get_absolute_url())
    content = response.content.decode()
    assert "Как подать заявление" in content and "Черновик" not in content


def test_editor_previews_a_draft_and_citizens_cannot(client, articles, editor, citizen):
    url = reverse("faq:preview", kwargs={"pk": articles["draft"].pk})
    client.force_login(citizen)
    assert client.get(url).status_code == 403
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200
    assert "Предпросмотр черновика" in response.content.decode()


def test_results_are_rendered_every_time_when_not_remembered(client, articles, settings):
    settings.SEARCH_RESULT_MEMO = False  # as in a server that cannot see the index's writes
    assert "Как подать" in _results(client, "заявление")
    type(articles["apply"]).objects.filter(pk=articles["apply"].pk).update(title="Подача")
    assert "Как подать" not in _results(client, "заявление")


@pytest.fixture
def passport_service():
    from tests.portal.catalogue_factories import ServiceFactory

    return ServiceFactory(
        code="10010003",
        title="Оформление загранпаспорта на 10 лет",
        summary="Биометрический загранпаспорт с чипом.",
    )


def test_services_come_before_the_articles_when_the_query_names_a_service(
    client, articles, passport_service
):
    content = client.get(reverse("faq:index"), {"q": "оформить загранпаспорт"}).content.decode()
    service_link = passport_service.get_absolute_url()
    assert "related-services--lead" in content
    # Before the notice that no article answers it.
    assert content.index(service_link) < content.index('class="empty-state"')
    # An article that answers the question keeps its place first.
    content = client.get(reverse("faq:index"), {"q": "восстановить пароль"}).content.decode()
    assert "related-services--lead" not in content


def test_suggestions_include_matching_services_marked_as_such(client, articles, passport_service):
    response = client.get(
        reverse("faq:suggest"), {"q": "загранпаспорт", "for": "hub-q"}, HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert f'data-href="{passport_service.get_absolute_url()}"' in content
    assert "combobox__option-kind" in content and "Услуга" in content
    # Everyday words alone never bring a service into the list.
    response = client.get(
        reverse("faq:suggest"), {"q": "восстановить пар", "for": "hub-q"}, HTTP_HX_REQUEST="true"
    )
    assert passport_service.get_absolute_url() not in response.content.decode()


def test_suggestions_rank_a_whole_last_word_as_the_search_page_does(client, articles):
    calculator = ArticleFactory(
        category=articles["apply"].category, slug="calculator", title="Пенсионный калькулятор"
    )
    pension = ServiceFactory(code="10060001", title="Назначение пенсии по старости")
    response = client.get(
        reverse("faq:suggest"), {"q": "пенсии", "for": "hub-q"}, HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    # «пенсии» is typed to its end: the service holding that word holds more of the
    # query than the article holding only a longer word it begins, so it comes first.
    assert content.index(pension.get_absolute_url()) < content.index(calculator.get_absolute_url())
    # While a word is unfinished, every word it begins counts in full: the article first.
    response = client.get(
        reverse("faq:suggest"), {"q": "пенси", "for": "hub-q"}, HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert content.index(calculator.get_absolute_url()) < content.index(pension.get_absolute_url())
