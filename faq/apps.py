from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FaqConfig(AppConfig):
    """The knowledge base: categories, articles, votes, synonyms, content gaps."""

    name = "faq"
    verbose_name = _("База знаний")

    def ready(self) -> None:
        # The service page lists related articles without portal importing faq.
        from faq.selectors import faq_links_for_service
        from portal.catalogue.extensions import related_links_register

        related_links_register(faq_links_for_service)
