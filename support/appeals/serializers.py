from rest_framework import serializers

from portal.catalogue.selectors import service_published_get
from support.appeals.models import AnswerChannel, Appeal, AppealEvent, Attachment
from support.appeals.rules import MAX_DESCRIPTION, MAX_SUBJECT
from support.appeals.selectors import topics_active
from support.centre.uploads import MAX_FILES, TOO_MANY_FILES, files_check


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_download_url", read_only=True)

    class Meta:
        model = Attachment
        fields = ["original_name", "content_type", "size", "url"]


class EventSerializer(serializers.ModelSerializer):
    # The API keeps its field names; the values are the lifecycle's step names.
    kind = serializers.CharField(source="step", read_only=True)
    kind_display = serializers.CharField(source="get_step_display", read_only=True)

    class Meta:
        model = AppealEvent
        fields = ["kind", "kind_display", "created_at", "to_status", "text"]


class AppealSerializer(serializers.ModelSerializer):
    topic = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    service = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Appeal
        fields = [
            "number",
            "topic",
            "service",
            "subject",
            "status",
            "status_display",
            "registered_at",
            "due_date",
            "answered_at",
            "url",
        ]


class AppealDetailSerializer(AppealSerializer):
    attachments = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()

    class Meta(AppealSerializer.Meta):
        fields = [
            *AppealSerializer.Meta.fields,
            "description",
            "phone",
            "email",
            "answer_channel",
            "answer",
            "attachments",
            "history",
        ]

    def get_attachments(self, appeal: Appeal) -> list[dict]:
        return AttachmentSerializer(appeal.attachments.all(), many=True).data

    def get_history(self, appeal: Appeal) -> list[dict]:
        return EventSerializer(appeal.events.filter(is_public=True), many=True).data


class AppealCreateSerializer(serializers.Serializer):
    """Input for registering an appeal; multipart when files come along."""

    topic = serializers.SlugRelatedField(slug_field="slug", queryset=topics_active())
    service = serializers.CharField(required=False, allow_blank=True, max_length=20)
    subject = serializers.CharField(max_length=MAX_SUBJECT)
    description = serializers.CharField(max_length=MAX_DESCRIPTION)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=40)
    email = serializers.EmailField(required=False)
    answer_channel = serializers.ChoiceField(
        choices=AnswerChannel.choices, default=AnswerChannel.EMAIL
    )
    consent = serializers.BooleanField()
    files = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        max_length=MAX_FILES,
        error_messages={"max_length": str(TOO_MANY_FILES)},
    )

    def validate_service(self, value: str):
        if not value:
            return None
        service = service_published_get(code=value)
        if service is None:
            raise serializers.ValidationError("Unknown service code.")
        return service

    def validate_files(self, files):
        checked, errors = files_check(files, room=MAX_FILES)
        if errors:
            raise serializers.ValidationError(errors)
        return checked
