from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FaqConfig(AppConfig):
    """The knowledge base: categories, articles, votes, synonyms, content gaps."""

    name = "faq"
    verbose_name = _("База знаний")
