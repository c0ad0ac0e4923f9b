from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.applications import access
from portal.applications.models import Application, ApplicationEvent, Status


class ServiceRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()


class ApplicationEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApplicationEvent
        fields = ["at", "from_status", "to_status", "comment", "actor_kind"]


class ApplicationSerializer(serializers.ModelSerializer):
    service = ServiceRefSerializer()
    department = serializers.CharField(source="department.name")
    status_label = serializers.CharField(source="get_status_display")
    overdue = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url")

    class Meta:
        model = Application
        fields = [
            "number",
            "service",
            "department",
            "status",
            "status_label",
            "refusal_reason",
            "submitted_at",
            "status_changed_at",
            "expected_date",
            "overdue",
            "url",
        ]

    @extend_schema_field(serializers.BooleanField())
    def get_overdue(self, application: Application) -> bool:
        return access.overdue(application, today=timezone.localdate())


class ApplicationDetailSerializer(ApplicationSerializer):
    history = ApplicationEventSerializer(source="events", many=True)

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "history"]


class StatusChangeSerializer(serializers.Serializer):
    """What a department's system reports: the new status, a comment, a refusal's reason."""

    status = serializers.ChoiceField(choices=Status.choices)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        default="",
        help_text="Required when the status is `refused`.",
    )
