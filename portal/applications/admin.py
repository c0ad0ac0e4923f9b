from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.admin import APIKeyModelAdmin

from portal.admin import RecordInline
from portal.applications import lifecycle
from portal.applications.actions import application_status_change
from portal.applications.models import (
    Application,
    ApplicationEvent,
    Department,
    DepartmentAPIKey,
    Status,
)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(DepartmentAPIKey)
class DepartmentAPIKeyAdmin(APIKeyModelAdmin):
    """Keys are shown once, when created; revoking one keeps the row for the record."""

    list_display = [*APIKeyModelAdmin.list_display, "department"]
    list_filter = [*APIKeyModelAdmin.list_filter, "department"]


class ApplicationEventInline(RecordInline):
    model = ApplicationEvent
    fields = ["at", "from_status", "to_status", "comment", "actor_kind"]


class StatusChangeForm(forms.ModelForm):
    """The status is never edited as a field: a change goes through the lifecycle action."""

    new_status = forms.ChoiceField(label=_("Новый статус"), required=False)
    comment = forms.CharField(
        label=_("Комментарий или причина отказа"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Application
        fields: list[str] = []

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        allowed = lifecycle.steps_allowed(application=self.instance, role=lifecycle.Role.STAFF)
        self.fields["new_status"].choices = [("", "—")] + [
            (status, Status(status).label) for status in allowed
        ]

    def clean(self) -> dict:
        data = super().clean()
        target = data.get("new_status")
        if target:
            error = lifecycle.refusal(
                target,
                application=self.instance,
                role=lifecycle.Role.STAFF,
                reason=data.get("comment", ""),
            )
            if error is not None:
                raise ValidationError(lifecycle.messages_of(error))
        return data


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    form = StatusChangeForm
    list_display = ["number", "service", "department", "status", "status_changed_at", "user"]
    list_filter = ["status", "department"]
    search_fields = ["number", "user__username", "user__email"]
    list_select_related = ["service", "department", "user"]
    inlines = [ApplicationEventInline]
    readonly_fields = [
        "number",
        "user",
        "service",
        "department",
        "status",
        "refusal_reason",
        "submitted_at",
        "expected_date",
        "status_changed_at",
    ]
    fields = [*readonly_fields, "new_status", "comment"]

    def has_add_permission(self, request) -> bool:
        # Applications come from the departments' systems, not from the admin.
        return False

    def save_model(self, request, obj, form, change) -> None:
        target = form.cleaned_data.get("new_status")
        if not target:
            return
        comment = form.cleaned_data.get("comment", "")
        try:
            application_status_change(
                application=obj,
                to=target,
                role=lifecycle.Role.STAFF,
                comment=comment,
                reason=comment,
            )
        except (PermissionDenied, ValidationError) as error:  # a race since the form was checked
            self.message_user(request, " ".join(lifecycle.messages_of(error)), level="error")
