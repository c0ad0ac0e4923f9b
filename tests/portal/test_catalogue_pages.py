"""/services/<code>/: what a citizen needs, unknown numbers, related FAQ, the PDF memo."""

import io
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from pypdf import PdfReader

from portal.catalogue.extensions import (
    RelatedLink,
    related_links_for,
    related_links_register,
    related_links_unregister,
)
from portal.catalogue.models import ServiceStatus, ServiceType
from portal.catalogue.selectors import service_published_get
from tests.faq.factories import ArticleFactory
from tests.portal.catalogue_factories import ServiceCategoryFactory, ServiceFactory
from tests.portal.factories import UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def service():
    return ServiceFactory(
        code="10020001",
        title="Справка о несудимости",
        summary="Справка о наличии (отсутствии) судимости и факта уголовного преследования.",
        category=ServiceCategoryFactory(slug="security", title="Безопасность и правопорядок"),
        service_type=ServiceType.CERTIFICATE,
        applicants="Граждане России старше 14 лет.",
        processing_days=30,
        cost="Бесплатно",
        result="Справка с электронной подписью МВД.",
        how_to_apply="Войдите на портал.\nЗаполните заявление.\nДождитесь справки.",
        available_in_person=True,
        department="МВД России",
        department_contacts="Справочная: 8 800 222-74-47",
        documents=["Паспорт гражданина РФ", "Документ о смене ФИО"],
        regions=["77", "16"],
    )


def test_the_service_page_has_everything_a_citizen_needs(client, service):
    response = client.get("/services/10020001/")
    assert response.status_code == 200
    content = response.content.decode()
    for text in [
        '<h1 id="service-title">Справка о несудимости</h1>',
        "Номер услуги: <strong>10020001</strong>",
        "Получить справку",
        "30 рабочих дней",
        "Бесплатно",
        "Граждане России старше 14 лет.",
        "Паспорт гражданина РФ",
        "Документ о смене ФИО",
        "<li>Заполните заявление.</li>",
        "Справка с электронной подписью МВД.",
        "Москва",
        "Республика Татарстан",
        "МВД России",
        "8 800 222-74-47",
        "Скачать памятку (PDF)",
        'href="/services/10020001/pamyatka.pdf" download',
    ]:
        assert text in content, text
    # Documents keep the editor's order.
    assert content.index("Паспорт гражданина РФ") < content.index("Документ о смене ФИО")


def test_ask_a_question_opens_the_feedback_form_with_this_service(client, service):
    content = client.get("/services/10020001/").content.decode()
    assert 'href="/support/feedback/?service=10020001">Задать вопрос</a>' in content
    form = client.get("/support/feedback/?service=10020001").content.decode()
    assert 'value="10020001"' in form
    assert service.title in form


def test_the_service_page_takes_a_constant_number_of_queries(
    client, service, django_assert_max_num_queries
):
    client.get("/services/10020001/")  # the session exists after the first visit
    for i in range(5):
        ServiceFactory(category=service.category, title=f"Соседняя услуга {i}")
    with django_assert_max_num_queries(20):
        client.get("/services/10020001/")


def test_an_unknown_number_says_so_and_offers_the_search(client, service):
    for path in ["/services/99999999/", "/services/abc/", "/services/%00/"]:
        response = client.get(path)
        assert response.status_code == 404
        content = response.content.decode()
        assert "Услуга не найдена" in content
        assert 'action="/services/"' in content
        assert 'name="q"' in content


def test_drafts_are_404_for_citizens_and_a_preview_for_editors(client, editor):
    ServiceFactory(code="10099999", title="Черновая услуга", status=ServiceStatus.DRAFT)
    assert client.get("/services/10099999/").status_code == 404
    assert client.get("/services/10099999/pamyatka.pdf").status_code == 404
    client.force_login(editor)
    response = client.get("/services/10099999/")
    assert response.status_code == 200
    assert "Предпросмотр черновика" in response.content.decode()


def test_a_view_counts_once_per_visit(client, service):
    client.get("/services/10020001/")
    client.get("/services/10020001/")
    service.refresh_from_db()
    assert service.popularity == 1


# --- Related FAQ articles -----------------------------------------------------------------------


def test_linked_faq_articles_are_shown_on_the_service_page(client, service):
    article = ArticleFactory(title="Как получить справку быстрее")
    article.services.add(service)
    ArticleFactory(title="Не связанная статья")
    content = client.get("/services/10020001/").content.decode()
    assert "Вопросы и ответы по теме" in content
    assert f'href="{article.get_absolute_url()}">Как получить справку быстрее' in content
    assert "Не связанная статья" not in content


def test_without_links_the_faq_is_searched_by_the_service_title(client, service):
    ArticleFactory(title="Где взять справку о несудимости для работы")
    content = client.get("/services/10020001/").content.decode()
    assert "Где взять справку о несудимости для работы" in content


def test_no_related_section_when_nothing_matches(client, service):
    assert "Вопросы и ответы по теме" not in client.get("/services/10020001/").content.decode()


def test_editors_link_articles_to_services_with_autocomplete(client, editor, service):
    client.force_login(editor)
    form = client.get("/admin/faq/article/add/").content.decode()
    assert 'name="services"' in form
    assert "admin-autocomplete" in form
    found = client.get(
        "/admin/autocomplete/",
        {"app_label": "faq", "model_name": "article", "field_name": "services", "term": "справка"},
    ).json()
    assert [item["text"] for item in found["results"]] == [str(service)]


def test_providers_are_registered_explicitly_and_deduplicated(service):
    def provider(svc):
        return [RelatedLink(title="A", url="/a/"), RelatedLink(title="A again", url="/a/")]

    related_links_register(provider)
    related_links_register(provider)  # twice is once
    try:
        links = related_links_for(service=service)
        assert [link.url for link in links].count("/a/") == 1
    finally:
        related_links_unregister(provider)


def test_portal_never_imports_faq_or_support():
    """Only the root URLconf and the ASGI router may see every package."""
    pattern = re.compile(r"^\s*(from|import)\s+(faq|support)\b", re.MULTILINE)
    allowed = {"portal/urls.py", "portal/asgi.py"}
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "portal").rglob("*.py")
        if str(path.relative_to(ROOT)) not in allowed
        and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


# --- The PDF memo -------------------------------------------------------------------------------


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text)


def test_the_memo_is_a_pdf_download_with_correct_cyrillic(client, service):
    response = client.get("/services/10020001/pamyatka.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="pamyatka-usluga-10020001.pdf"'
    )
    assert response.content.startswith(b"%PDF-")
    text = _pdf_text(response.content)
    for expected in [
        "Справка о несудимости",
        "Номер услуги: 10020001",
        "Безопасность и правопорядок",
        "Справка о наличии (отсутствии) судимости и факта уголовного преследования.",
        "Срок оказания: 30 рабочих дней",
        "Какие документы нужны",
        "Паспорт гражданина РФ",
        "Документ о смене ФИО",
        "Порядок действий",
        "Заполните заявление.",
        "Москва, Республика Татарстан",
        "МВД России",
        "http://testserver/services/10020001/",
    ]:
        assert expected in text, expected
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.metadata.title == "Справка о несудимости"


def test_the_memo_follows_the_service_when_it_changes(client, service):
    client.get("/services/10020001/pamyatka.pdf")
    service.title = "Справка о наличии или отсутствии судимости"
    service.save()
    text = _pdf_text(client.get("/services/10020001/pamyatka.pdf").content)
    assert "Справка о наличии или отсутствии судимости" in text


def test_the_font_and_its_licence_are_bundled():
    fonts = ROOT / "portal" / "catalogue" / "fonts"
    assert (fonts / "DejaVuSans.ttf").stat().st_size > 100_000
    assert (fonts / "DejaVuSans-Bold.ttf").stat().st_size > 100_000
    assert "Bitstream" in (fonts / "LICENSE").read_text(encoding="utf-8")


def test_base_navigation_links_to_the_catalogue(client, service):
    content = client.get("/").content.decode()
    assert '<a href="/services/">Услуги</a>' in content


def test_a_staff_member_without_catalogue_rights_sees_no_drafts(client):
    ServiceFactory(code="10099998", status=ServiceStatus.DRAFT)
    staff = UserFactory(username="staff-no-rights", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(staff)
    assert client.get("/services/10099998/").status_code == 404


# --- One selector for "the published service with this number" ------------------------------


@pytest.mark.parametrize("typed", ["10020001", " 10020001 ", "10020001\n"])
def test_the_published_service_is_found_by_its_number(typed):
    service = ServiceFactory(code="10020001", title="Справка о несудимости")
    assert service_published_get(code=typed) == service


@pytest.mark.parametrize("typed", ["", "abc", "1002-0001", "1" * 21, "10020002", "10020003"])
def test_no_service_for_a_draft_an_unknown_or_a_malformed_number(typed):
    ServiceFactory(code="10020001", title="Справка о несудимости")
    ServiceFactory(code="10020003", title="Черновик", status="draft")
    assert service_published_get(code=typed) is None
