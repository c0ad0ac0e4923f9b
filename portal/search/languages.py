"""One index per content language: the reader's language chooses which one is searched.

Russian documents live under the package's own kind ("faq", "service"); the documents
of another language under the kind with the language after an underscore ("faq_en").
A document of another language holds each object's text in that language, or its
Russian original where no translation was written, so that an untranslated article is
still found by its Russian words. Words are stemmed by their alphabet (Snowball's
Russian stemmer for Cyrillic, its English one for Latin letters; PostgreSQL's `russian`
configuration does the same), so one analysis serves both.
"""

from django.conf import settings
from django.utils import translation

SEPARATOR = "_"


def search_languages() -> list[str]:
    """Every language with its own index, the original (Russian) first."""
    original = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    return [original, *(code for code, _name in settings.LANGUAGES if code != original)]


def reader_language() -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    return language.split("-")[0].lower()


def language_kind(kind: str, language: str | None = None) -> str:
    """The kind of `kind`'s index in `language` (the reader's by default).

    A kind already naming its language is returned as it is, so callers may pass
    either; the original language's kind is the package's own.
    """
    if SEPARATOR in kind:
        return kind
    language = language or reader_language()
    if language == settings.MODELTRANSLATION_DEFAULT_LANGUAGE:
        return kind
    if language not in search_languages():
        return kind
    return f"{kind}{SEPARATOR}{language}"


def index_language(kind: str) -> str:
    """The language of a kind's index ("faq_en": "en"; "faq": the original)."""
    _base, separator, language = kind.partition(SEPARATOR)
    return language if separator else settings.MODELTRANSLATION_DEFAULT_LANGUAGE


def language_kinds(kind: str) -> list[str]:
    """`kind`'s index in every language."""
    return [language_kind(kind, language) for language in search_languages()]
