"""/services/: words, number, filters with counts, the URL as the only state, bad input."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.http import QueryDict
from django.urls import reverse

from portal.catalogue import actions
from portal.catalogue.forms import CatalogueFilterForm
from portal.catalogue.models import Region, ServiceStatus, ServiceType
from portal.catalogue.selectors import CatalogueQuery, Sort, catalogue_search
from tests.portal.catalogue_factories import ServiceCategoryFactory, ServiceFactory

pytestmark = pytest.mark.django_db

INDEX = "/services/"


def search(**params) -> "object":
    """The selector, as the view calls it, from URL parameters."""
    data = QueryDict(mutable=True)
    for key, value in params.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    form = CatalogueFilterForm(data)
    return catalogue_search(query=form.query())


def titles(page) -> list[str]:
    return [hit.service.title for hit in page.hits]


def facet(values, value):
    return next(item for item in values if item.value == value)


@pytest.fixture
def catalogue():
    """A small catalogue: two categories, every type, one service only in Moscow and Tatarstan."""
    docs = ServiceCategoryFactory(slug="passport", title="Паспорта")
    transport = ServiceCategoryFactory(slug="transport", title="Транспорт")
    return {
        "criminal": ServiceFactory(
            code="10020001",
            title="Справка о несудимости",
            summary="Справка о наличии или отсутствии судимости.",
            category=docs,
            service_type=ServiceType.CERTIFICATE,
            popularity=50,
        ),
        "passport": ServiceFactory(
            code="10010001",
            title="Замена паспорта в 20 и 45 лет",
            summary="Паспорт меняют после 20 и 45 лет.",
            category=docs,
            service_type=ServiceType.CHANGE,
            popularity=90,
            available_in_person=True,
        ),
        "parking": ServiceFactory(
            code="10030006",
            title="Резидентное парковочное разрешение",
            summary="Льготная парковка у дома для жителей.",
            category=transport,
            service_type=ServiceType.APPLICATION,
            regions=["77", "16"],
            popularity=30,
        ),
        "fines": ServiceFactory(
            code="10030001",
            title="Оплата штрафов ГИБДД",
            summary="Проверка и оплата штрафов за нарушения ПДД.",
            category=transport,
            service_type=ServiceType.PAYMENT,
            popularity=100,
            available_online=True,
        ),
        "exam": ServiceFactory(
            code="10030004",
            title="Запись на экзамен в ГИБДД",
            summary="Экзамен на водительские права.",
            category=transport,
            service_type=ServiceType.APPOINTMENT,
            available_online=False,
            available_in_person=True,
            popularity=10,
        ),
    }


# --- Words ------------------------------------------------------------------------------------


def test_inflected_and_unfinished_words_find_the_certificate(catalogue):
    page = search(q="справку о несудимост")
    assert titles(page) == ["Справка о несудимости"]
    assert "<mark>Справка</mark>" in page.hits[0].title_html


def test_wrong_keyboard_layout_and_typo_are_forgiven(catalogue):
    assert "Замена паспорта в 20 и 45 лет" in titles(search(q="gfcgjhn"))  # "паспорт"
    page = search(q="шрафов гибдд")
    assert titles(page) == ["Оплата штрафов ГИБДД"]
    assert page.corrected_query == "штрафов гибдд"


def test_partial_match_when_no_service_has_every_word(catalogue):
    page = search(q="штрафов квантовый")
    assert titles(page) == ["Оплата штрафов ГИБДД"]


def test_drafts_are_never_found_and_unpublishing_takes_a_service_out(catalogue):
    ServiceFactory(title="Черновик справки о несудимости", status=ServiceStatus.DRAFT)
    assert titles(search(q="несудимости")) == ["Справка о несудимости"]
    actions.services_unpublish(services=[catalogue["criminal"]])
    page = search(q="несудимости")
    # No service holds the word now: whatever is near in meaning is offered, not as an answer.
    assert "Справка о несудимости" not in titles(page) and page.no_good_answer
    actions.services_publish(services=[catalogue["criminal"]])
    assert search(q="несудимости").total == 1


def test_relevance_groups_the_page_by_category(catalogue):
    page = search(q="гибдд")
    assert page.grouped
    assert [group.category.slug for group in page.groups] == ["transport"]
    # Without words the most used come first, still under their categories.
    browse = search()
    assert titles(browse)[0] == "Оплата штрафов ГИБДД"
    assert [group.category.slug for group in browse.groups] == ["transport", "passport"]


def test_sorting_by_popularity_and_title(catalogue):
    assert titles(search(sort="popular"))[0] == "Оплата штрафов ГИБДД"
    assert titles(search(sort="title"))[0] == "Замена паспорта в 20 и 45 лет"
    assert not search(sort="title").grouped


# --- Number -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["10020001", " 10020001 ", "№ 10020001", "10 020 001", "10-020-001"]
)
def test_a_service_number_opens_the_service(client, catalogue, typed):
    response = client.get(INDEX, {"q": typed})
    assert response.status_code == 302
    assert response["Location"] == "/services/10020001/"


def test_a_number_with_htmx_redirects_the_whole_page(client, catalogue):
    response = client.get(
        INDEX, {"q": "10020001"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="catalogue-results"
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/services/10020001/"


def test_an_unknown_number_says_so_and_offers_the_search(client, catalogue):
    response = client.get(INDEX, {"q": "99999999"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Услуги с номером 99999999 в каталоге нет" in content
    assert 'name="q"' in content


def test_a_draft_number_does_not_open(client, catalogue):
    ServiceFactory(code="10099999", status=ServiceStatus.DRAFT)
    assert client.get(INDEX, {"q": "10099999"}).status_code == 200


# --- Filters and counts -----------------------------------------------------------------------


def test_region_filter_keeps_all_russia_services_and_the_region_s_own(catalogue):
    moscow = search(region="77")
    assert "Резидентное парковочное разрешение" in titles(moscow)
    assert moscow.total == 5
    perm = search(region="59")
    assert "Резидентное парковочное разрешение" not in titles(perm)
    assert perm.total == 4


def test_counts_follow_the_query_and_the_other_filters(catalogue):
    page = search(q="гибдд", region="77")
    facets = page.facets
    # Every type's count keeps the words and the region but not the type filter itself.
    assert facet(facets.types, "payment").count == 1
    assert facet(facets.types, "appointment").count == 1
    assert facet(facets.types, "certificate").count == 0
    assert facets.types_any == 2
    assert facet(facets.categories, "transport").count == 2
    assert facet(facets.categories, "passport").count == 0
    assert facets.online == 1  # the exam is in person only
    assert facets.online_any == 2
    # Regions: the two all-Russia services count everywhere.
    assert facet(facets.regions, "77").count == 2
    assert facet(facets.regions, "50").count == 2
    assert len(facets.regions) == Region.objects.count() == 89


def test_counts_for_a_type_filter_exclude_the_type_itself(catalogue):
    page = search(type="application")
    assert titles(page) == ["Резидентное парковочное разрешение"]
    assert page.facets.types_any == 5
    assert facet(page.facets.types, "certificate").count == 1
    # Regions now count only applications: parking is in Moscow and Tatarstan only.
    assert facet(page.facets.regions, "77").count == 1
    assert facet(page.facets.regions, "16").count == 1
    assert facet(page.facets.regions, "50").count == 0
    assert facet(page.facets.categories, "transport").count == 1


def test_online_and_category_filters(catalogue):
    assert "Запись на экзамен в ГИБДД" not in titles(search(online="1"))
    assert search(online="1").total == 4
    assert set(titles(search(category="passport"))) == {
        "Справка о несудимости",
        "Замена паспорта в 20 и 45 лет",
    }


def test_all_filters_together(catalogue):
    page = search(q="разрешение", type="application", region="16", category="transport", online="1")
    assert titles(page) == ["Резидентное парковочное разрешение"]
    assert page.region.code == "16"


def _bulk(n: int) -> None:
    category = ServiceCategoryFactory(slug="bulk")
    for i in range(n):
        ServiceFactory(
            title=f"Справка о составе семьи {i}",
            category=category,
            service_type=ServiceType.CERTIFICATE if i % 2 else ServiceType.APPLICATION,
            regions=["77", "50"] if i % 3 == 0 else None,
        )


def _queries_for(django_assert_max_num_queries, params: dict) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        search(**params)
    return len(context.captured_queries)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "справка"},
        {"q": "справка семьи", "type": "certificate", "region": "77"},
        {"q": "справка", "type": "certificate", "region": "77", "category": "bulk", "online": "1"},
        {"q": "справка", "sort": "popular", "page": "2"},
    ],
)
def test_counts_take_a_constant_number_of_queries(params, django_assert_max_num_queries):
    _bulk(21)  # enough for a second page
    search(**params)  # the editors' synonyms are read once, then cached
    few = _queries_for(django_assert_max_num_queries, params)
    _bulk(60)
    search(**params)  # the index changed: what it says about the words is asked again
    many = _queries_for(django_assert_max_num_queries, params)
    assert few == many
    # Regions, categories, the query plan (≤ 4), the counts (2), the page (≤ 2).
    with django_assert_max_num_queries(10):
        search(**params)


# --- The URL is the state ---------------------------------------------------------------------


def test_the_query_round_trips_through_the_url():
    query = CatalogueQuery(
        q="справка о несудимости",
        service_type="certificate",
        region="77",
        category="passport",
        online=True,
        sort=Sort.POPULAR,
        page=3,
    )
    data = QueryDict(query.urlencode())
    assert CatalogueFilterForm(data).query() == query
    assert CatalogueQuery().urlencode() == ""


def test_the_same_url_gives_the_same_page(client, catalogue):
    url = INDEX + "?q=гибдд&type=payment&region=77&category=transport&online=1&sort=title"

    def main(response) -> str:  # the header's CSRF tokens differ per response
        content = response.content.decode()
        return content[content.index("<main") : content.index("</main>")]

    first = main(client.get(url))
    assert main(client.get(url)) == first
    assert "/services/10030001/" in first


def test_htmx_gets_the_results_and_an_address_without_defaults(client, catalogue):
    response = client.get(
        INDEX,
        {"q": "гибдд", "type": "", "region": "", "category": "", "sort": "relevance"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="catalogue-results",
    )
    content = response.content.decode()
    assert "<html" not in content
    assert 'id="catalogue-results"' in content
    assert 'id="catalogue-filters" class="catalogue__filters" hx-swap-oob="true"' in content
    assert 'id="catalogue-status" hx-swap-oob="innerHTML"' in content
    assert parse_qs(urlparse(response["HX-Push-Url"]).query) == {"q": ["гибдд"]}
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_full_page(client, catalogue):
    response = client.get(
        INDEX,
        {"q": "гибдд"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
        HTTP_HX_TARGET="catalogue-results",
    )
    assert "<html" in response.content.decode()


def test_the_page_shows_counts_next_to_values_and_announces_the_total(client, catalogue):
    content = client.get(INDEX, {"q": "гибдд"}).content.decode()
    assert 'role="status">Найдены 2 услуги по запросу «гибдд»' in content
    assert 'Оплатить <span class="facet__count">(1)</span>' in content
    assert ">Москва (2)</option>" in content


# --- Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "notice"),
    [
        ({"region": "abc"}, "Регион «abc» указан неверно"),
        ({"region": "99"}, "Регион с кодом «99» не найден"),
        ({"type": "999"}, "Тип услуги «999» не существует"),
        ({"category": "nope"}, "Категории «nope» нет"),
        ({"category": "<script>"}, "Категория «&lt;script&gt;» указана неверно"),
        ({"sort": "price"}, "Сортировки «price» нет"),
        ({"page": "-1"}, "Номер страницы «-1» не понят"),
        ({"online": "maybe"}, "«Можно подать онлайн» не распознано"),
    ],
)
def test_bad_filter_values_are_ignored_with_a_visible_notice(client, catalogue, params, notice):
    response = client.get(INDEX, params)
    assert response.status_code == 200
    content = response.content.decode()
    assert notice in content
    assert "Найдено 5 услуг" in content


def test_repeated_parameters_use_the_first_valid_value(client, catalogue):
    response = client.get(INDEX + "?type=999&type=payment&type=certificate&region=77&region=77")
    content = response.content.decode()
    assert "Параметр «type» указан несколько раз: использовано значение «payment»" in content
    assert "Параметр «region» указан несколько раз" not in content
    assert "Найдена 1 услуга" in content


def test_a_page_past_the_end_shows_the_last_page(client, catalogue):
    _bulk(25)
    page = search(page="999")
    assert page.page_number == page.num_pages == 2
    assert page.hits
    assert any("Страницы 999 нет" in notice for notice in page.notices)
    huge = search(page="9" * 5000)
    assert huge.page_number == huge.num_pages
    with_words = search(q="справка семьи", page="5")
    assert not any("показаны первые" in notice for notice in with_words.notices)
    assert with_words.page_number == with_words.num_pages == 2
    assert len(with_words.hits) == 5


def test_pages_stop_at_a_hundred_with_a_hint_to_narrow(monkeypatch, catalogue):
    from portal.catalogue import selectors

    monkeypatch.setattr(selectors, "MAX_PAGES", 2)
    page = catalogue_search(query=CatalogueQuery(page=7), per_page=2)
    assert page.total == 5
    assert page.num_pages == page.page_number == 2
    assert any("показаны первые 4" in notice for notice in page.notices)


def test_nothing_found_is_an_alert_with_ways_out(client, catalogue):
    content = client.get(INDEX, {"q": "квантовый телепорт", "type": "payment"}).content.decode()
    assert 'role="alert"' in content
    assert "По запросу «квантовый телепорт» услуг не нашлось" in content
    assert "Сбросить фильтры" in content
    assert reverse("faq:index") + "?q=" in content


@pytest.mark.parametrize(
    "hostile",
    [
        "' OR 1=1 --",
        '"справка" NEAR(паспорт) AND * ^ : ()',
        "справка\x00паспорт",
        "<script>alert(1)</script>",
        "а" * 5000,
        "справка " * 400,
        "%%%%",
        "\u202e\u200b\ufeff",
        "١٢٣٤",  # Arabic-Indic digits are digits to str.isdigit() but not service numbers
        "²³",
    ],
)
def test_hostile_queries_never_fail(client, catalogue, hostile):
    for params in ({"q": hostile}, {"q": hostile, "region": hostile, "page": hostile}):
        response = client.get(INDEX, params)
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.content.decode()


def test_hostile_parameters_in_the_api_never_fail(client, catalogue):
    response = client.get("/api/v1/services/", {"q": "\x00", "region": "\x00", "type": "\x00"})
    assert response.status_code == 200


def test_distinctive_words_matching_nothing_are_admitted_with_the_ways_to_ask(client, catalogue):
    # «оружия» matches nothing, «справка» is only the everyday word of the question.
    page = search(q="справка на покупку оружия для охоты")
    assert page.low_confidence and page.no_good_answer
    content = client.get(INDEX, {"q": "справка на покупку оружия для охоты"}).content.decode()
    assert "в каталоге нет" in content and "Возможно, подойдёт" in content
    assert reverse("appeals:feedback") in content and reverse("support:contacts") in content


def test_a_service_holding_the_point_of_the_query_is_not_admitted_as_a_miss(catalogue):
    page = search(q="штрафы гибдд оплатить")
    assert titles(page)[0] == "Оплата штрафов ГИБДД"
    assert not page.low_confidence and not page.no_good_answer


def test_words_matching_nothing_at_all_are_an_empty_page_that_says_so(client, catalogue):
    page = search(q="квантовый телепорт")
    assert page.is_empty and page.no_good_answer
    content = client.get(INDEX, {"q": "квантовый телепорт"}).content.decode()
    assert "услуг не нашлось" in content and reverse("appeals:feedback") in content


# --- Meaning ----------------------------------------------------------------------------------


def test_a_thing_no_service_names_is_admitted_with_what_partly_matches(client, catalogue):
    # «записаться на экзамен» is the frame of «Запись на экзамен в ГИБДД»; no service is
    # about violins, and meaning does not vouch for the driving test.
    query = "записаться на экзамен по игре на скрипке"
    page = search(q=query)
    assert titles(page)[0] == "Запись на экзамен в ГИБДД"
    assert page.low_confidence and page.no_good_answer
    content = client.get(INDEX, {"q": query}).content.decode()
    assert "в каталоге нет" in content and "Возможно, подойдёт" in content


def test_a_service_is_found_by_meaning_when_no_word_is_its_own(catalogue):
    # «поставить машину у подъезда» shares no stem with «Резидентное парковочное разрешение».
    page = search(q="где поставить машину у подъезда")
    assert titles(page)[0] == "Резидентное парковочное разрешение"


def test_a_title_match_stays_first_beside_meaning(catalogue):
    assert titles(search(q="Запись на экзамен в ГИБДД"))[0] == "Запись на экзамен в ГИБДД"
    assert titles(search(q="оплата штрафов гибдд"))[0] == "Оплата штрафов ГИБДД"


def test_meaning_does_not_answer_a_question_the_catalogue_cannot(catalogue):
    page = search(q="маникюр и педикюр")
    assert page.no_good_answer
