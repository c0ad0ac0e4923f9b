from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FaqConfig(AppConfig):
    """The knowledge base: categories, articles, votes, synonyms, content gaps."""

    name = "faq"
    verbose_name = _("База знаний")

    def ready(self) -> None:
        # The service page lists related articles without portal importing faq.
        from faq.selectors import faq_links_for_service, faq_synonyms
        from portal.catalogue.extensions import related_links_register
        from portal.search.selectors import search_synonyms_register

        related_links_register(faq_links_for_service)
        # The catalogue and every other kind search with the editors' synonyms too.
        search_synonyms_register(faq_synonyms)
