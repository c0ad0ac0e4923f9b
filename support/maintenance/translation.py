"""The technical works' texts in each language (django-modeltranslation), Russian the original."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from support.maintenance.models import TechnicalWork


@register(TechnicalWork)
class TechnicalWorkTranslation(TranslationOptions):
    fields = ("title", "description", "started_work", "unavailable")
    required_languages = {"ru": ("title", "description", "started_work")}


# After the translated columns: the history keeps every language's text.
simple_history.register(TechnicalWork)
