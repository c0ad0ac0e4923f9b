from django.contrib import admin

from portal.admin import RecordInline
from support.callbacks.models import Callback, CallbackCapacity, CallbackEvent


@admin.register(CallbackCapacity)
class CallbackCapacityAdmin(admin.ModelAdmin):
    list_display = ["channel", "weekday", "places", "slot_minutes"]
    list_filter = ["channel"]


class CallbackEventInline(RecordInline):
    model = CallbackEvent
    fields = ["at", "step", "from_status", "to_status", "slot_starts_at", "actor"]


@admin.register(Callback)
class CallbackAdmin(admin.ModelAdmin):
    """Read-only: call-backs change through their lifecycle in the operators' page."""

    list_display = ["number", "status", "slot", "phone", "topic", "user"]
    list_filter = ["status", "topic"]
    search_fields = ["number", "phone"]
    list_select_related = ["slot", "user"]
    readonly_fields = [f.name for f in Callback._meta.fields]
    inlines = [CallbackEventInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
