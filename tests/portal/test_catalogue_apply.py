"""A service page's «Получить услугу»: the department's e-service, the feedback form with the
service filled in, or the department in person; editors set the link; the price never breaks."""

import pytest
from django.core.exceptions import ValidationError

from portal.catalogue.models import APPLY_URL_NEEDS_ONLINE, ApplyWay
from portal.templatetags.portal_text import keep_numbers_whole
from tests.portal.catalogue_factories import ServiceFactory

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def apply_block(client, service) -> str:
    content = client.get(service.get_absolute_url()).content.decode()
    start = content.index('id="service-apply"')
    return content[start : content.index("</div>", start)]


def test_with_the_departments_link_the_action_opens_the_e_service(client):
    service = ServiceFactory(apply_url="https://www.gosuslugi.ru/10005/1")
    assert service.apply_way == ApplyWay.E_SERVICE
    block = apply_block(client, service)
    assert 'href="https://www.gosuslugi.ru/10005/1"' in block
    assert "Получить услугу" in block and "www.gosuslugi.ru" in block


def test_without_a_link_the_action_opens_the_form_with_the_service_and_topic(client, settings):
    settings.CATALOGUE_APPLY_TOPIC = "applications"
    service = ServiceFactory(code="20990001")
    assert service.apply_way == ApplyWay.FORM
    block = apply_block(client, service)
    assert 'href="/support/feedback/?service=20990001&amp;topic=applications"' in block


def test_in_person_only_the_action_leads_to_the_department(client):
    service = ServiceFactory(
        available_online=False,
        available_in_person=True,
        department="МВД России",
        department_contacts="8 800 222-74-47",
    )
    assert service.apply_way == ApplyWay.IN_PERSON
    block = apply_block(client, service)
    assert 'href="#service-department"' in block
    content = client.get(service.get_absolute_url()).content.decode()
    assert 'id="service-department"' in content


def test_in_person_without_any_department_falls_back_to_the_form(client):
    service = ServiceFactory(available_online=False, available_in_person=True, department="")
    assert service.apply_way == ApplyWay.FORM
    assert "/support/feedback/?service=" in apply_block(client, service)


def test_the_form_fills_in_the_service_and_the_topic(client):
    from support.appeals.models import Topic

    topic = Topic.objects.create(slug="applications", name="Подача заявлений")
    service = ServiceFactory(title="Справка о несудимости")
    content = client.get(f"/support/feedback/?service={service.code}&topic=applications")
    html = content.content.decode()
    assert "Вопрос об услуге «Справка о несудимости»" in html
    assert f'<option value="{topic.pk}" selected>' in html


@pytest.mark.parametrize(
    ("url", "online", "field"),
    [
        ("javascript:alert(1)", True, "apply_url"),
        ("ftp://example.org/file", True, "apply_url"),
        ("https://www.gosuslugi.ru/10005/1", False, "apply_url"),
    ],
)
def test_the_editors_link_is_checked(url, online, field):
    service = ServiceFactory.build(apply_url=url, available_online=online, available_in_person=True)
    service.category.save()
    with pytest.raises(ValidationError) as caught:
        service.full_clean()
    assert field in caught.value.message_dict
    if not online:
        assert caught.value.message_dict[field] == [str(APPLY_URL_NEEDS_ONLINE)]


def test_the_editor_sets_the_link_in_the_admin(admin_client):
    service = ServiceFactory()
    page = admin_client.get(f"/admin/catalogue/service/{service.pk}/change/").content.decode()
    assert 'name="apply_url"' in page


def test_the_api_says_where_the_action_leads(client):
    service = ServiceFactory(apply_url="https://www.gosuslugi.ru/10005/1")
    data = client.get(f"/api/v1/services/{service.code}/").json()
    assert data["apply_way"] == "e_service"
    assert data["apply_url"] == "https://www.gosuslugi.ru/10005/1"


def test_the_price_keeps_its_numbers_whole(client):
    service = ServiceFactory(cost="Госпошлина 15 000 ₽ для взрослых, 7 500 ₽ для детей")
    content = client.get(service.get_absolute_url()).content.decode()
    assert f"Госпошлина 15{NBSP}000{NBSP}₽ для взрослых, 7{NBSP}500{NBSP}₽ для детей" in content


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("15 000 ₽", f"15{NBSP}000{NBSP}₽"),
        ("1 500 руб.", f"1{NBSP}500{NBSP}руб."),
        ("до 10 МБ", f"до 10{NBSP}МБ"),
        ("Бесплатно", "Бесплатно"),
        ("за 2 дня", "за 2 дня"),
        ("<b>1 000</b>", f"<b>1{NBSP}000</b>"),
    ],
)
def test_keep_numbers_whole(text, kept):
    assert keep_numbers_whole(text) == kept
