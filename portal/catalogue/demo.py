"""Demo service catalogue: services a Russian citizen looks for most, in plain words.

The texts are data in `portal/catalogue/demo_data/`: categories, departments (the name and
contacts shown on the service page and in the memo), the usual steps of each service type,
the checklist lines several services share (a service names them, or lists a line of its
own), and the services, the most requested with their English. Amounts and terms are typical
for 2025–2026 and only for the demo: editors keep the real ones in the admin (or in the CSV
import).

Idempotent: categories by slug, services by number.
"""

from django.db import transaction
from django.utils import translation

from portal.catalogue.actions import catalogue_index_rebuild
from portal.catalogue.models import Region, Service, ServiceCategory, ServiceDocument
from portal.catalogue.regions import REGIONS, regions_sync
from portal.content_language import ORIGINAL_LANGUAGE, original_text
from portal.demo import demo_categories_seed, demo_data, demo_text


def demo_categories() -> list[dict]:
    """The demo categories (slug, title, description, their English) in their order."""
    return demo_data(__file__, "categories.json")


def demo_departments() -> dict[str, dict]:
    """The demo departments by code: name, contacts (a list of lines), their English."""
    return demo_data(__file__, "departments.json")


@transaction.atomic
def seed_catalogue() -> int:
    """Load the demo categories and services; returns how many are published and indexed."""
    # The texts below are the Russian originals, whatever language is active.
    with translation.override(ORIGINAL_LANGUAGE):
        return _seed_catalogue()


def _english(item: dict, department: dict, steps: dict) -> dict:
    """The English columns of a demo service, or none (left untranslated on purpose)."""
    english = item.get("en")
    if english is None:
        return {}
    department = department.get("en", {})
    return {
        "title_en": english["title"],
        "summary_en": english["summary"],
        "applicants_en": english["applicants"],
        "cost_en": english["cost"],
        "result_en": english["result"],
        "how_to_apply_en": None if "steps" in item else demo_text(steps["en"]["steps"]),
        "department_en": department.get("name"),
        "department_contacts_en": demo_text(department["contacts"]) if department else None,
    }


def _seed_catalogue() -> int:
    categories = demo_categories_seed(ServiceCategory, demo_categories())
    departments = demo_departments()
    steps = demo_data(__file__, "steps.json")
    shared_documents = demo_data(__file__, "documents.json")
    # The migration made them; a flushed test database (browser tests) has lost them.
    if Region.objects.count() < len(REGIONS):
        regions_sync(Region)
    regions = {region.code: region for region in Region.objects.all()}

    for item in demo_data(__file__, "services.json"):
        department = departments[item["dept"]]
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
                "how_to_apply": demo_text(item.get("steps", steps[item["type"]]["steps"])),
                "available_online": item.get("online", True),
                "apply_url": item.get("apply_url", ""),
                "available_in_person": item.get("in_person", False),
                "department": department["name"],
                "department_contacts": demo_text(department["contacts"]),
                "status": item.get("status", "published"),
                "popularity": item["popularity"],
                **_english(item, department, steps[item["type"]]),
            },
        )
        service.regions.set([regions[code] for code in item.get("regions", [])])
        translated = "en" in item
        wanted = []
        for line in item["documents"]:
            # A line several services share is named; a service's own line is written out.
            document = shared_documents[line] if isinstance(line, str) else line
            english = (document["en"]["title"], document["en"]["note"]) if translated else ()
            wanted.append((document["title"], document["note"], document["required"], *english))
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
