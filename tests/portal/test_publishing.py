"""Publishing written once: the helper both the FAQ and the catalogue publish through."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from portal.actions import publication_set
from portal.catalogue.actions import services_publish, services_reindex, services_unpublish
from portal.catalogue.models import Service, ServiceStatus
from portal.catalogue.selectors import CatalogueQuery, catalogue_search
from tests.portal.catalogue_factories import ServiceFactory

pytestmark = pytest.mark.django_db


def found(words: str) -> list[str]:
    return [hit.service.code for hit in catalogue_search(query=CatalogueQuery(q=words)).hits]


def test_only_the_services_that_change_are_counted_and_reindexed():
    draft = ServiceFactory(code="40000001", title="Выписка из домовой книги", status="draft")
    live = ServiceFactory(code="40000002", title="Выписка из реестра", status="published")
    reindexed: list[list[Service]] = []

    def reindex(changed: list[Service]) -> None:
        reindexed.append(changed)
        services_reindex(services=changed)

    count = publication_set(
        items=[draft, live],
        publish=True,
        published_status=ServiceStatus.PUBLISHED,
        draft_status=ServiceStatus.DRAFT,
        reindex=reindex,
    )
    assert count == 1
    assert reindexed == [[draft]]
    assert sorted(found("выписка")) == ["40000001", "40000002"]


def test_a_failing_reindex_writes_nothing():
    draft = ServiceFactory(code="40000003", title="Выписка из архива", status="draft")

    def reindex(changed: list[Service]) -> None:
        raise RuntimeError("the index is down")

    with pytest.raises(RuntimeError):
        publication_set(
            items=[draft],
            publish=True,
            published_status=ServiceStatus.PUBLISHED,
            draft_status=ServiceStatus.DRAFT,
            reindex=reindex,
        )
    draft.refresh_from_db()
    assert draft.status == ServiceStatus.DRAFT


def test_unpublishing_twice_changes_nothing_the_second_time():
    service = ServiceFactory(code="40000004", title="Выписка из ЕГРН")
    assert services_unpublish(services=[service]) == 1
    assert services_unpublish(services=[service]) == 0
    assert found("выписка") == []
    assert services_publish(services=Service.objects.filter(pk=service.pk)) == 1
    assert found("выписка") == ["40000004"]


@pytest.mark.parametrize(
    ("language", "message"),
    [("ru", "Опубликованы 2 услуги."), ("en", "2 services published.")],
)
def test_the_admin_action_says_how_many_were_published(client, editor, language, message):
    drafts = [ServiceFactory(code=f"4000001{n}", title="Выписка", status="draft") for n in range(2)]
    already = ServiceFactory(code="40000020", title="Справка")
    client.force_login(editor)
    client.cookies["django_language"] = language
    response = client.post(
        reverse("admin:catalogue_service_changelist"),
        {"action": "publish", "_selected_action": [s.pk for s in [*drafts, already]]},
        follow=True,
    )
    assert message in response.content.decode()


def test_the_admin_action_is_refused_without_the_change_permission(client, editor):
    draft = ServiceFactory(code="40000030", title="Выписка", status="draft")
    editor.groups.clear()
    editor.user_permissions.add(Permission.objects.get(codename="view_service"))
    client.force_login(editor)
    client.post(
        reverse("admin:catalogue_service_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == ServiceStatus.DRAFT
