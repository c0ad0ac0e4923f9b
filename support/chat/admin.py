from django.contrib import admin

from support.chat.models import CannedAnswer, Conversation


@admin.register(CannedAnswer)
class CannedAnswerAdmin(admin.ModelAdmin):
    list_display = ["title", "is_active", "order"]
    list_editable = ["is_active", "order"]
    search_fields = ["title", "text"]


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    """Read-only: conversations change only through the chat's actions."""

    list_display = ["number", "user", "status", "operator", "created_at", "rating"]
    list_filter = ["status", "rating"]
    readonly_fields = [f.name for f in Conversation._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
