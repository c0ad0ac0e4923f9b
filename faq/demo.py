"""Demo knowledge base, written anew from the seed article's topics.

Idempotent: articles are matched by category and slug, synonyms by their first term.
"""

from django.db import transaction
from django.utils import timezone, translation

from faq.actions import faq_index_rebuild, synonym_group_save
from faq.demo_content import ARTICLES, CATEGORIES, SYNONYMS
from faq.demo_content_en import ARTICLES_EN, CATEGORIES_EN
from faq.models import Article, Category, Status, SynonymGroup
from portal.catalogue.models import Service, ServiceType
from portal.content_language import ORIGINAL_LANGUAGE
from portal.demo import demo_categories_seed

# Articles shown on the pages of catalogue services of these types (if the catalogue is seeded).
SERVICE_LINKS = {
    ("applications", "kak-podat-zayavlenie"): [
        ServiceType.APPLICATION,
        ServiceType.CERTIFICATE,
        ServiceType.CHANGE,
    ],
    ("cabinet", "moi-zayavki"): [
        ServiceType.APPLICATION,
        ServiceType.CERTIFICATE,
        ServiceType.CHANGE,
    ],
}


@transaction.atomic
def seed_faq() -> int:
    # The texts below are the Russian originals, whatever language is active.
    with translation.override(ORIGINAL_LANGUAGE):
        return _seed_faq()


def _english(item: dict | None) -> dict:
    """The English columns of a demo article, or none (left untranslated on purpose)."""
    if item is None:
        return {}
    return {
        "title_en": item["title"],
        "short_answer_en": item["short"],
        "body_en": item["body"].strip(),
    }


def _seed_faq() -> int:
    categories = demo_categories_seed(Category, CATEGORIES, CATEGORIES_EN)

    now = timezone.now()
    by_key: dict[tuple[str, str], Article] = {}
    for order, item in enumerate(ARTICLES, start=1):
        article, _ = Article.objects.update_or_create(
            category=categories[item["category"]],
            slug=item["slug"],
            defaults={
                "title": item["title"],
                "short_answer": item["short"],
                "body": item["body"].strip(),
                "status": item.get("status", Status.PUBLISHED),
                "channels": item.get("channels", []),
                "order": order,
                "published_at": now,
                # Some reads and votes, so "popular questions" has an order on day one.
                "view_count": item.get("views", 0),
                "helpful_yes": item.get("yes", 0),
                "helpful_no": item.get("no", 0),
                **_english(ARTICLES_EN.get(item["slug"])),
            },
        )
        by_key[(item["category"], item["slug"])] = article

    for item in ARTICLES:
        article = by_key[(item["category"], item["slug"])]
        article.related.set([by_key[tuple(key.split("/"))] for key in item.get("related", [])])

    for key, service_types in SERVICE_LINKS.items():
        if key in by_key:
            by_key[key].services.set(Service.objects.filter(service_type__in=service_types))

    for terms, note in SYNONYMS:
        first = terms[0]
        group = SynonymGroup.objects.filter(terms__startswith=first + "\n").first()
        if group is None:
            group = SynonymGroup(terms="\n".join(terms))
        group.terms = "\n".join(terms)
        group.note = note
        synonym_group_save(group=group)
    return faq_index_rebuild()
