"""Demo service catalogue. Idempotent: categories by slug, services by number."""

from django.db import transaction
from django.utils import translation

from portal.catalogue.actions import catalogue_index_rebuild
from portal.catalogue.demo_content import CATEGORIES, DEPARTMENTS, SERVICES, STEPS
from portal.catalogue.demo_content_en import (
    CATEGORIES_EN,
    DEPARTMENTS_EN,
    DOCUMENTS_EN,
    SERVICES_EN,
    STEPS_EN,
)
from portal.catalogue.models import Region, Service, ServiceCategory, ServiceDocument
from portal.catalogue.regions import REGIONS, regions_sync
from portal.content_language import ORIGINAL_LANGUAGE, original_text
from portal.demo import demo_categories_seed


@transaction.atomic
def seed_catalogue() -> int:
    """Load the demo categories and services; returns how many are published and indexed."""
    # The texts below are the Russian originals, whatever language is active.
    with translation.override(ORIGINAL_LANGUAGE):
        return _seed_catalogue()


def _english(item: dict) -> dict:
    """The English columns of a demo service, or none (left untranslated on purpose)."""
    english = SERVICES_EN.get(item["code"])
    if english is None:
        return {}
    department, contacts = DEPARTMENTS_EN.get(item["dept"], (None, None))
    return {
        "title_en": english["title"],
        "summary_en": english["summary"],
        "applicants_en": english["applicants"],
        "cost_en": english["cost"],
        "result_en": english["result"],
        "how_to_apply_en": None if "steps" in item else STEPS_EN[item["type"]],
        "department_en": department,
        "department_contacts_en": contacts,
    }


def _seed_catalogue() -> int:
    categories = demo_categories_seed(ServiceCategory, CATEGORIES, CATEGORIES_EN)
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
                **_english(item),
            },
        )
        service.regions.set([regions[code] for code in item.get("regions", [])])
        translated = item["code"] in SERVICES_EN
        wanted = [
            (title, note, required, *(DOCUMENTS_EN.get((title, note)) if translated else ()))
            for title, note, required in item["documents"]
        ]
        current = [
            (
                original_text(document, "title"),
                original_text(document, "note"),
                document.is_required,
                *((document.title_en, document.note_en or "") if document.title_en else ()),
            )
            for document in service.documents.all()
        ]
        if current != wanted:
            service.documents.all().delete()
            ServiceDocument.objects.bulk_create(
                [
                    ServiceDocument(
                        service=service,
                        title=title,
                        note=note,
                        is_required=required,
                        order=i,
                        title_en=english[0] if english else None,
                        note_en=english[1] if english else None,
                    )
                    for i, (title, note, required, *english) in enumerate(wanted, start=1)
                ]
            )
    return catalogue_index_rebuild()
