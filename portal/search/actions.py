"""Writing the search index. Packages call these from their own actions."""

from collections.abc import Callable, Iterable, Sequence

from django.utils import translation

from portal.search import memo
from portal.search.backends import IndexedText, get_backend
from portal.search.languages import language_kind, language_kinds, search_languages

DocumentsBuilder = Callable[[], Sequence[IndexedText]]


def search_documents_index(
    *, kind: str, documents: Sequence[IndexedText], language: str | None = None
) -> None:
    """Add or replace documents of `kind` in `language`'s index (the original's by
    default; idempotent)."""
    if documents:
        get_backend().index(kind=_kind_in(kind, language), documents=documents)


def search_documents_remove(*, kind: str, object_ids: Iterable[int]) -> None:
    """Remove the objects from `kind`'s index in every language."""
    object_ids = list(object_ids)
    for each in language_kinds(kind):
        get_backend().remove(kind=each, object_ids=object_ids)


def search_index_rebuild(
    *, kind: str, documents: Sequence[IndexedText], language: str | None = None
) -> None:
    """Drop everything of `kind` in `language` and index `documents` again (seeding,
    big imports)."""
    backend = get_backend()
    kind = _kind_in(kind, language)
    backend.clear(kind=kind)
    backend.index(kind=kind, documents=documents)
    backend.compact()


def search_documents_index_translated(*, kind: str, documents: DocumentsBuilder) -> None:
    """`search_documents_index` in every language: `documents` is called once per
    language with that language active, so that translated fields give its text (or
    the Russian original where there is no translation)."""
    for language in search_languages():
        with translation.override(language):
            search_documents_index(kind=kind, documents=documents(), language=language)


def search_index_rebuild_translated(*, kind: str, documents: DocumentsBuilder) -> None:
    """`search_index_rebuild` in every language (see `search_documents_index_translated`)."""
    for language in search_languages():
        with translation.override(language):
            search_index_rebuild(kind=kind, documents=documents(), language=language)


def search_results_forget(*, kind: str) -> None:
    """Start a new generation of `kind` in every language without writing its index:
    something its results depend on that the index does not hold has changed (a
    category's title or visibility, the editors' synonyms)."""
    for each in language_kinds(kind):
        memo.generation_start(kind=each)


def _kind_in(kind: str, language: str | None) -> str:
    return language_kind(kind, language or search_languages()[0])
