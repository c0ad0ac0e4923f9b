"""Writing the search index. Packages call these from their own actions."""

from collections.abc import Iterable, Sequence

from portal.search import memo
from portal.search.backends import IndexedText, get_backend


def search_documents_index(*, kind: str, documents: Sequence[IndexedText]) -> None:
    """Add or replace documents of `kind` (idempotent)."""
    if documents:
        get_backend().index(kind=kind, documents=documents)


def search_documents_remove(*, kind: str, object_ids: Iterable[int]) -> None:
    get_backend().remove(kind=kind, object_ids=object_ids)


def search_index_rebuild(*, kind: str, documents: Sequence[IndexedText]) -> None:
    """Drop everything of `kind` and index `documents` again (seeding, big imports)."""
    backend = get_backend()
    backend.clear(kind=kind)
    backend.index(kind=kind, documents=documents)
    backend.compact()


def search_results_forget(*, kind: str) -> None:
    """Start a new generation of `kind` without writing its index: something its results
    depend on that the index does not hold has changed (a category's title or visibility,
    the editors' synonyms)."""
    memo.generation_start(kind=kind)
