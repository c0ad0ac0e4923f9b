"""Content in the reader's language: which texts of an object are translated.

Editors write content in Russian (the original) and translate it in the admin
(django-modeltranslation, registered in each app's translation.py). A text without its
translation is shown in Russian: the page must say so and mark the text `lang="ru"` so
that a screen reader pronounces it right. The rule lives here; templates ask through
`portal.templatetags.content_language`.
"""

from django.conf import settings
from django.db.models import CharField, Expression, F, Model, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import translation
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname

ORIGINAL_LANGUAGE = settings.MODELTRANSLATION_DEFAULT_LANGUAGE


def reader_language() -> str:
    """The language of the current request ("en", "ru"), without a region."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return language.split("-")[0].lower()


def original_text(obj: Model, field: str) -> str:
    """The Russian original of a translated field, whatever the reader's language."""
    return getattr(obj, build_localized_fieldname(field, ORIGINAL_LANGUAGE)) or ""


def translated_fields(model: type[Model]) -> tuple[str, ...]:
    """The model's translated fields, in the model's order."""
    try:
        registered = translator.get_options_for_model(model).all_fields
    except NotRegistered:
        return ()
    return tuple(field.name for field in model._meta.fields if field.name in registered)


def shown_in_original(obj: Model, field: str, language: str | None = None) -> bool:
    """Whether `field` is shown in Russian to a reader of `language` (the current one by
    default) for want of a translation. A field empty in Russian too is not: there is
    nothing to translate."""
    language = language or reader_language()
    if language == ORIGINAL_LANGUAGE or field not in translated_fields(type(obj)):
        return False
    if language not in dict(settings.LANGUAGES):
        return False
    translated = getattr(obj, build_localized_fieldname(field, language), None)
    return not translated and bool(original_text(obj, field))


def untranslated_fields(obj: Model, fields: tuple[str, ...] | None = None) -> list[str]:
    """The fields of `obj` (all its translated ones by default) shown in Russian."""
    language = reader_language()
    return [
        field
        for field in (fields or translated_fields(type(obj)))
        if shown_in_original(obj, field, language)
    ]


def shown_expression(field: str, language: str | None = None) -> Expression:
    """`field` as a reader of `language` sees it, for ordering in SQL: the translation,
    or the Russian original where there is none."""
    language = language or reader_language()
    original = F(build_localized_fieldname(field, ORIGINAL_LANGUAGE))
    if language == ORIGINAL_LANGUAGE or language not in dict(settings.LANGUAGES):
        return original
    translated = F(build_localized_fieldname(field, language))
    return Coalesce(NullIf(translated, Value("")), original, output_field=CharField())
