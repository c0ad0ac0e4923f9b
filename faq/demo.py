"""Demo knowledge base, written anew from the seed article's topics.

The texts are data in `faq/demo_data/`: the topics, the articles in their order (each with its
English where the demo translates it) and the synonyms citizens use ("е" instead of "ё").
Phone numbers and hours are deliberately absent from the articles: they are editable contact
data, and articles point to the «Контакты» section instead. The untranslated articles are
left so on purpose: the English pages show them in Russian with the «Not yet translated»
marker, as a real portal does while its editors translate.

Idempotent: articles are matched by category and slug, synonyms by their first term.
"""

from django.db import transaction
from django.utils import timezone, translation

from faq.actions import faq_index_rebuild, synonym_group_save
from faq.models import Article, Category, Status, SynonymGroup
from portal.catalogue.models import Service, ServiceType
from portal.content_language import ORIGINAL_LANGUAGE
from portal.demo import demo_categories_seed, demo_data, demo_text

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


def demo_articles() -> list[dict]:
    """The demo articles in their order, as the data file has them."""
    return demo_data(__file__, "articles.json")


def _english(item: dict) -> dict:
    """The English columns of a demo article, or none (left untranslated on purpose)."""
    english = item.get("en")
    if english is None:
        return {}
    return {
        "title_en": english["title"],
        "short_answer_en": english["short"],
        "body_en": demo_text(english["body"]),
    }


def _seed_faq() -> int:
    categories = demo_categories_seed(Category, demo_data(__file__, "categories.json"))

    now = timezone.now()
    articles = demo_articles()
    by_key: dict[tuple[str, str], Article] = {}
    for order, item in enumerate(articles, start=1):
        article, _ = Article.objects.update_or_create(
            category=categories[item["category"]],
            slug=item["slug"],
            defaults={
                "title": item["title"],
                "short_answer": item["short"],
                "body": demo_text(item["body"]),
                "status": item.get("status", Status.PUBLISHED),
                "channels": item.get("channels", []),
                "order": order,
                "published_at": now,
                # Some reads and votes, so "popular questions" has an order on day one.
                "view_count": item.get("views", 0),
                "helpful_yes": item.get("yes", 0),
                "helpful_no": item.get("no", 0),
                **_english(item),
            },
        )
        by_key[(item["category"], item["slug"])] = article

    for item in articles:
        article = by_key[(item["category"], item["slug"])]
        article.related.set([by_key[tuple(key.split("/"))] for key in item.get("related", [])])

    for key, service_types in SERVICE_LINKS.items():
        if key in by_key:
            by_key[key].services.set(Service.objects.filter(service_type__in=service_types))

    for synonym in demo_data(__file__, "synonyms.json"):
        terms, note = synonym["terms"], synonym["note"]
        first = terms[0]
        group = SynonymGroup.objects.filter(terms__startswith=first + "\n").first()
        if group is None:
            group = SynonymGroup(terms="\n".join(terms))
        group.terms = "\n".join(terms)
        group.note = note
        synonym_group_save(group=group)
    return faq_index_rebuild()
