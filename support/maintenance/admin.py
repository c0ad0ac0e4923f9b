from django.contrib import admin
from django.http import HttpRequest
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from support.maintenance import actions
from support.maintenance.models import TechnicalWork


@admin.register(TechnicalWork)
class TechnicalWorkAdmin(TranslationAdmin, SimpleHistoryAdmin):
    list_display = ["title", "starts_at", "ends_at", "announce_hours", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["title", "description"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["services"]
    fields = [
        "title",
        "description",
        "unavailable",
        "starts_at",
        "ends_at",
        "services",
        "started_work",
        "announce_hours",
        "is_published",
    ]

    # The banner on every page reads a cache: every change must drop it.
    def save_model(self, request: HttpRequest, obj: TechnicalWork, form, change: bool) -> None:
        actions.technical_work_save(work=obj)

    def delete_model(self, request: HttpRequest, obj: TechnicalWork) -> None:
        actions.technical_work_delete(work=obj)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        super().delete_queryset(request, queryset)
        actions.technical_works_changed()

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        actions.technical_works_changed()
