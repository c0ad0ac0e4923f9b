from django.contrib import admin

from portal.admin import RecordInline
from support.appeals.models import Appeal, AppealEvent, Attachment, Topic
from support.appeals.selectors import appeals_for_staff


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "deadline_days",
        "clarification_days",
        "interagency_days",
        "order",
        "is_active",
    ]
    list_editable = ["order", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class EventInline(RecordInline):
    model = AppealEvent
    fields = ["created_at", "step", "actor", "from_status", "to_status", "text", "is_public"]


class AttachmentInline(RecordInline):
    model = Attachment
    fields = ["original_name", "content_type", "size", "uploaded_at"]


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    """Read-mostly: the lifecycle is worked in the operator workspace, through actions."""

    list_display = ["number", "subject", "topic", "status", "due_date", "operator", "escalated"]
    list_filter = ["status", "topic", "escalated", "deadline_kind"]
    list_select_related = ["topic", "operator"]
    search_fields = ["number", "email", "subject"]
    date_hierarchy = "registered_at"
    inlines = [AttachmentInline, EventInline]
    readonly_fields = [
        "number",
        "author",
        "topic",
        "service",
        "subject",
        "description",
        "phone",
        "email",
        "answer_channel",
        "consent_at",
        "consent_version",
        "status",
        "registered_at",
        "due_date",
        "deadline_kind",
        "deadline_days",
        "operator",
        "escalated",
        "supervisor",
        "answer",
        "answered_at",
        "closed_at",
        "review_count",
        "overdue_notified_on",
    ]

    def get_queryset(self, request):
        # The same visibility as the workspace: an operator never reaches, here either,
        # an appeal that is a colleague's or a supervisor's.
        return super().get_queryset(request) & appeals_for_staff(user=request.user)

    def has_add_permission(self, request) -> bool:
        return False

    def view_on_site(self, obj: Appeal) -> str:
        return obj.get_operator_url()
