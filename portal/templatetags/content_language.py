"""Marking content shown in Russian for want of a translation (see portal.content_language).

<h1{{ article|lang_of:"title" }}>{{ article.title }}</h1>   ->  <h1 lang="ru">…</h1>
{% untranslated_notice article %}                          ->  the honest marker
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from portal.content_language import ORIGINAL_LANGUAGE, shown_in_original, untranslated_fields

register = template.Library()


@register.filter
def lang_of(obj, field: str) -> SafeString:
    """` lang="ru"` for an element holding `obj.field` shown untranslated, else nothing."""
    if obj is None or not shown_in_original(obj, field):
        return mark_safe("")  # noqa: S308 — a constant
    return format_html(' lang="{}"', ORIGINAL_LANGUAGE)


@register.inclusion_tag("includes/untranslated.html")
def untranslated_notice(obj, *fields: str, compact: bool = False) -> dict:
    """The marker «Not yet translated — shown in Russian» when any of `fields` (all the
    object's translated fields by default) has no translation in the reader's language.

    `compact` is the short form for an item in a list.
    """
    missing = untranslated_fields(obj, tuple(fields) or None) if obj is not None else []
    return {"missing": bool(missing), "compact": compact}
