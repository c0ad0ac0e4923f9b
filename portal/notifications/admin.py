from django.contrib import admin

from portal.admin import RecordInline
from portal.notifications.models import DeliveryAttempt, Notification


class DeliveryAttemptInline(RecordInline):
    """What support staff look at when a citizen says "nothing came"."""

    model = DeliveryAttempt
    fields = ["channel", "attempt", "at", "result", "error"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "event", "created_at", "read_at"]
    list_filter = ["event"]
    search_fields = ["title", "user__username", "user__email"]
    raw_id_fields = ["user"]
    readonly_fields = ["user", "event", "title", "body", "url", "created_at", "read_at"]
    inlines = [DeliveryAttemptInline]

    def has_add_permission(self, request) -> bool:
        return False
