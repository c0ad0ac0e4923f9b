"""The citizen's own appeals over the API: list, create (with files), detail."""

import uuid

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from portal.api_private import PersonalDataMixin
from portal.api_throttling import ScopedRateThrottle
from portal.visitors import visitor_key
from support.appeals import actions
from support.appeals.models import Appeal
from support.appeals.serializers import (
    AppealCreateSerializer,
    AppealDetailSerializer,
    AppealSerializer,
)


class IdempotencyConflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "idempotency_conflict"


class AppealViewSet(
    PersonalDataMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Appeals of the signed-in citizen; someone else's number answers 404."""

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    lookup_field = "number"
    lookup_value_regex = r"\d{6,12}"

    def get_queryset(self) -> QuerySet[Appeal]:
        appeals = Appeal.objects.filter(author=self.request.user).select_related("topic", "service")
        if self.action == "retrieve":
            appeals = appeals.prefetch_related("attachments", "events")
        return appeals.order_by("-registered_at")

    def get_serializer_class(self):
        if self.action == "create":
            return AppealCreateSerializer
        if self.action == "retrieve":
            return AppealDetailSerializer
        return AppealSerializer

    def get_throttles(self):
        if self.action == "create":
            self.throttle_scope = "appeals-create"
            return [ScopedRateThrottle()]
        return super().get_throttles()

    @extend_schema(
        request={
            "multipart/form-data": AppealCreateSerializer,
            "application/json": AppealCreateSerializer,
        },
        responses={201: AppealDetailSerializer, 400: OpenApiTypes.OBJECT, 409: OpenApiTypes.OBJECT},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.UUID,
                OpenApiParameter.HEADER,
                description=(
                    "Repeat a request with the same key and the same content to get the same "
                    "appeal back; the same key with other content answers 409."
                ),
            )
        ],
    )
    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = AppealCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        key = request.headers.get("Idempotency-Key")
        try:
            idempotency_key = uuid.UUID(key) if key else None
        except ValueError:
            raise ValidationError({"Idempotency-Key": "Must be a UUID."}) from None
        try:
            appeal = actions.appeal_register(
                author=request.user,
                topic=data["topic"],
                service=data.get("service"),
                subject=data["subject"],
                description=data["description"],
                phone=data.get("phone", "") or request.user.phone,
                email=data.get("email") or request.user.email,
                answer_channel=data["answer_channel"],
                consent=data["consent"],
                files=data.get("files", []),
                visitor=visitor_key(user=request.user, session_key=""),
                idempotency_key=idempotency_key,
            )
        except DjangoValidationError as error:
            if getattr(error, "code", None) == "idempotency_conflict":
                raise IdempotencyConflict(error.messages[0]) from None
            raise ValidationError(
                error.message_dict if hasattr(error, "error_dict") else error.messages
            ) from None
        return Response(AppealDetailSerializer(appeal).data, status=status.HTTP_201_CREATED)
