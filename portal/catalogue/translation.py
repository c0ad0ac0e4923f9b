"""The catalogue's texts in each language (django-modeltranslation), Russian the original."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from portal.catalogue.models import Service, ServiceCategory, ServiceDocument


@register(ServiceCategory)
class ServiceCategoryTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = {"ru": ("title",)}


@register(Service)
class ServiceTranslation(TranslationOptions):
    fields = (
        "title",
        "summary",
        "applicants",
        "cost",
        "result",
        "how_to_apply",
        "department",
        "department_contacts",
    )
    required_languages = {"ru": ("title", "summary")}


@register(ServiceDocument)
class ServiceDocumentTranslation(TranslationOptions):
    fields = ("title", "note")
    required_languages = {"ru": ("title",)}


# After the translated columns: the history keeps every language's text.
simple_history.register(Service)
