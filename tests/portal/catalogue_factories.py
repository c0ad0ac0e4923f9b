import factory

from portal.catalogue.actions import service_save, services_reindex
from portal.catalogue.models import (
    Region,
    Service,
    ServiceCategory,
    ServiceDocument,
    ServiceStatus,
    ServiceType,
)
from tests.portal.factories import OrderedSluggedFactory


def region(code: str) -> Region:
    """Regions come from the data migration: all 89 are in every test database."""
    return Region.objects.get(code=code)


class ServiceCategoryFactory(OrderedSluggedFactory):
    class Meta:
        model = ServiceCategory

    slug = factory.Sequence(lambda n: f"service-category-{n}")
    title = factory.Sequence(lambda n: f"Категория услуг {n}")


class ServiceFactory(factory.django.DjangoModelFactory):
    """Saved through the action, so published services are in the search index.

    `regions=["77", "50"]` makes a regional service; `documents=["Паспорт", …]` a checklist.
    """

    class Meta:
        model = Service

    code = factory.Sequence(lambda n: f"{20000000 + n}")
    title = factory.Sequence(lambda n: f"Услуга номер {n}")
    summary = "Краткое описание услуги для гражданина."
    category = factory.SubFactory(ServiceCategoryFactory)
    service_type = ServiceType.CERTIFICATE
    status = ServiceStatus.PUBLISHED
    processing_days = 5
    cost = "Бесплатно"
    available_online = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        region_codes = kwargs.pop("regions", None)
        documents = kwargs.pop("documents", [])
        if region_codes:
            kwargs["all_regions"] = False
        service = service_save(service=model_class(*args, **kwargs))
        if region_codes:
            service.regions.set(Region.objects.filter(code__in=region_codes))
        for order, title in enumerate(documents, start=1):
            ServiceDocument.objects.create(service=service, title=title, order=order)
        if region_codes or documents:
            services_reindex(services=[service])
        return service
