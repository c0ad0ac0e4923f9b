"""Demo service catalogue. Idempotent: categories by slug, services by number."""

from django.db import transaction

from portal.catalogue.actions import catalogue_index_rebuild
from portal.catalogue.demo_content import CATEGORIES, DEPARTMENTS, SERVICES, STEPS
from portal.catalogue.models import Region, Service, ServiceCategory, ServiceDocument
from portal.catalogue.regions import REGIONS, regions_sync


@transaction.atomic
def seed_catalogue() -> int:
    """Load the demo categories and services; returns how many are published and indexed."""
    categories = {}
    for order, (slug, title, description) in enumerate(CATEGORIES, start=1):
        categories[slug], _ = ServiceCategory.objects.update_or_create(
            slug=slug, defaults={"title": title, "description": description, "order": order * 10}
        )
    # The migration made them; a flushed test database (browser tests) has lost them.
    if Region.objects.count() < len(REGIONS):
        regions_sync(Region)
    regions = {region.code: region for region in Region.objects.all()}

    for item in SERVICES:
        department, contacts = DEPARTMENTS[item["dept"]]
        service, _ = Service.objects.update_or_create(
            code=item["code"],
            defaults={
                "title": item["title"],
                "summary": item["summary"],
                "category": categories[item["category"]],
                "service_type": item["type"],
                "all_regions": not item.get("regions"),
                "applicants": item["applicants"],
                "processing_days": item["days"],
                "cost": item["cost"],
                "result": item["result"],
                "how_to_apply": item.get("steps", STEPS[item["type"]]),
                "available_online": item.get("online", True),
                "apply_url": item.get("apply_url", ""),
                "available_in_person": item.get("in_person", False),
                "department": department,
                "department_contacts": contacts,
                "status": item.get("status", "published"),
                "popularity": item["popularity"],
            },
        )
        service.regions.set([regions[code] for code in item.get("regions", [])])
        wanted = [(title, note, required) for title, note, required in item["documents"]]
        current = list(service.documents.values_list("title", "note", "is_required"))
        if current != wanted:
            service.documents.all().delete()
            ServiceDocument.objects.bulk_create(
                [
                    ServiceDocument(
                        service=service, title=title, note=note, is_required=required, order=i
                    )
                    for i, (title, note, required) in enumerate(wanted, start=1)
                ]
            )
    return catalogue_index_rebuild()
