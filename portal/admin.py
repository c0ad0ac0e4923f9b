from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from portal.models import User
from portal.search.languages import search_languages

StrOrPromise = str | Promise


class RecordInline(admin.TabularInline):
    """Rows kept as a record (a history, delivery attempts, uploaded files): shown beside
    their item, never added, changed or deleted from the admin. A subclass names its
    `model` and the `fields` shown."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class WritesThroughActions:
    """A ModelAdmin mixin for a model whose writes go through its app's actions (they keep
    caches and the search index in step): the admin's save and both of its deletes (one
    object, the selected ones) call the subclass's `save_action` and `delete_action`."""

    def save_action(self, obj: Any) -> None:
        raise NotImplementedError

    def delete_action(self, objects: list[Any]) -> None:
        raise NotImplementedError

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        self.save_action(obj)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self.delete_action([obj])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        self.delete_action(list(queryset))


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Контакты"), {"fields": ["middle_name", "phone", "snils"]}),
        (
            _("Версия для слабовидящих"),
            {"fields": ["a11y_enabled", "a11y_font_size", "a11y_scheme", "a11y_images"]},
        ),
    ]
    list_display = ["username", "email", "first_name", "last_name", "is_staff"]
    search_fields = ["username", "email", "first_name", "last_name", "phone"]


def publication_admin_actions(
    *,
    publish: Callable[[QuerySet], int],
    unpublish: Callable[[QuerySet], int],
    publish_description: StrOrPromise,
    published_message: StrOrPromise,
    unpublished_message: StrOrPromise,
) -> list[Callable]:
    """The admin's "publish" and "unpublish" actions over the model's own actions.

    The messages are `ngettext_lazy(singular, plural, "count")`: the number is known
    only once the action has run.
    """

    @admin.action(description=publish_description, permissions=["change"])
    def publish_selected(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet):
        count = publish(queryset)
        modeladmin.message_user(request, published_message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Снять с публикации"), permissions=["change"])
    def unpublish_selected(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet):
        count = unpublish(queryset)
        modeladmin.message_user(request, unpublished_message % {"count": count}, messages.SUCCESS)

    # The names the changelist form posts ("action=publish"), as before.
    publish_selected.__name__ = "publish"
    unpublish_selected.__name__ = "unpublish"
    return [publish_selected, unpublish_selected]


def side_by_side(*fields: str) -> list[tuple[str, ...]]:
    """Each translated field's languages on one line of an admin form, Russian first: an
    editor translates a text looking at its original (a TranslationAdmin's fieldsets)."""
    return [
        tuple(build_localized_fieldname(field, language) for language in search_languages())
        for field in fields
    ]
