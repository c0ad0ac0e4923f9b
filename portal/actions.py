from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.module_loading import import_string

from portal.accessibility import COOKIE_MAX_AGE, COOKIE_NAME, AccessibilityPrefs
from portal.models import User
from portal.search.actions import search_documents_index_translated, search_documents_remove
from portal.search.backends import IndexedText

M = TypeVar("M", bound=Model)


def accessibility_prefs_save(
    *, request: HttpRequest, response: HttpResponse, prefs: AccessibilityPrefs
) -> None:
    """Remember the choice on the profile (signed in) and always in the cookie.

    The cookie too, so that the choice survives signing out on a shared computer
    only until the browser forgets it, and visitors get it at all.
    """
    user = request.user
    if user.is_authenticated:
        assert isinstance(user, User)
        user.a11y_enabled = prefs.enabled
        user.a11y_font_size = prefs.font_size
        user.a11y_scheme = prefs.scheme
        user.a11y_images = prefs.images
        user.save(update_fields=["a11y_enabled", "a11y_font_size", "a11y_scheme", "a11y_images"])
    response.set_cookie(
        COOKIE_NAME,
        prefs.to_cookie(),
        max_age=COOKIE_MAX_AGE,
        samesite="Lax",
        httponly=True,
        secure=request.is_secure(),
    )


def edited_save(item: M, *, changed: Callable[[], None]) -> M:
    """Save an editor's change, validated, and tell what reads it (`changed`: drop a cache,
    follow in the search index), in one transaction."""
    with transaction.atomic():
        item.full_clean()
        item.save()
        changed()
    return item


@dataclass(frozen=True)
class Publishing(Generic[M]):
    """How a kind of content is published (`publication_set`'s arguments, said once per
    kind): its two statuses, how its search index follows, and the field that keeps the date
    of the first publication, when the model has one."""

    published_status: str
    draft_status: str
    reindex: Callable[[list[M]], None]
    first_published_field: str | None = None

    def save(self, item: M) -> M:
        """Save an editor's change and keep the index in step, in one transaction."""
        field = self.first_published_field
        if field and item.status == self.published_status and getattr(item, field) is None:
            setattr(item, field, timezone.now())
        return edited_save(item, changed=lambda: self.reindex([item]))

    def set(self, items: Iterable[M], *, publish: bool) -> int:
        return publication_set(
            items=items,
            publish=publish,
            published_status=self.published_status,
            draft_status=self.draft_status,
            reindex=self.reindex,
            first_published_field=self.first_published_field,
        )


def publication_set(
    *,
    items: Iterable[M],
    publish: bool,
    published_status: str,
    draft_status: str,
    reindex: Callable[[list[M]], None],
    first_published_field: str | None = None,
) -> int:
    """Publish (or take back to drafts) the items not already so, in one transaction.

    Returns how many changed. `reindex` gets the changed items, so the search index
    follows in the same transaction; `first_published_field`, when the model has one,
    keeps the date of the first publication.
    """
    with transaction.atomic():
        changed = [item for item in items if (item.status == published_status) != publish]
        now = timezone.now()
        for item in changed:
            item.status = published_status if publish else draft_status
            fields = ["status", "updated_at"]
            if publish and first_published_field:
                if getattr(item, first_published_field) is None:
                    setattr(item, first_published_field, now)
                fields.append(first_published_field)
            item.save(update_fields=fields)
        reindex(changed)
    return len(changed)


def search_follow(
    *, kind: str, items: Iterable[M], published_status: str, indexed: Callable[[M], IndexedText]
) -> None:
    """Put the published items in the search index (as `indexed` reads them) and take the
    others out: what a kind of content's `reindex` does."""
    items = list(items)
    published = [item for item in items if item.status == published_status]
    hidden = [item.pk for item in items if item.status != published_status]
    search_documents_index_translated(
        kind=kind, documents=lambda: [indexed(item) for item in published]
    )
    if hidden:
        search_documents_remove(kind=kind, object_ids=hidden)


def visitor_joins_account(*, visitor: str, user: User) -> None:
    """A visitor signed in: what their browser session started without an account joins
    it. The apps that keep a visitor's things name their take-over in
    VISITOR_TAKE_OVERS (dotted paths of `(*, visitor, user)` actions), so the portal calls
    them without depending on the apps."""
    if not visitor or not user.is_authenticated:
        return
    for path in settings.VISITOR_TAKE_OVERS:
        import_string(path)(visitor=visitor, user=user)
