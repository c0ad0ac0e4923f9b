"""The applications over the API: the citizen's own (read), and the departments' status
reports (write, with a per-department API key)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, permissions, viewsets
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api_private import PersonalDataMixin
from portal.api_schema import VALIDATION_ERROR, ErrorSerializer
from portal.applications import lifecycle
from portal.applications.actions import application_status_change
from portal.applications.models import Application, ApplicationEvent, DepartmentAPIKey
from portal.applications.selectors import application_of_department, applications_of
from portal.applications.serializers import (
    ApplicationDetailSerializer,
    ApplicationSerializer,
    StatusChangeSerializer,
)

KEYWORD = "Api-Key"


class ApplicationViewSet(
    PersonalDataMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Service applications of the signed-in citizen; someone else's number answers 404."""

    permission_classes = [permissions.IsAuthenticated]
    lookup_field = "number"
    lookup_value_regex = r"\d{1,20}"

    def get_queryset(self) -> QuerySet[Application]:
        applications = applications_of(user=self.request.user)
        if self.action == "retrieve":
            applications = applications.prefetch_related(
                Prefetch("events", queryset=ApplicationEvent.objects.order_by("at", "pk"))
            )
        return applications.order_by("-status_changed_at", "-pk")

    def get_serializer_class(self):
        return ApplicationDetailSerializer if self.action == "retrieve" else ApplicationSerializer


class DepartmentKeyAuthentication(BaseAuthentication):
    """`Authorization: Api-Key <key>`: a department's key, usable until revoked or expired."""

    def authenticate(self, request: Request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        keyword, _, key = header.partition(" ")
        key = key.strip()
        if keyword != KEYWORD or not key:
            raise exceptions.AuthenticationFailed("Invalid API key.")
        try:
            api_key = DepartmentAPIKey.objects.get_from_key(key)
        except DepartmentAPIKey.DoesNotExist:
            raise exceptions.AuthenticationFailed("Invalid API key.") from None
        if api_key.has_expired:
            raise exceptions.AuthenticationFailed("Invalid API key.")
        return (None, api_key)

    def authenticate_header(self, request: Request) -> str:
        # Present, so a missing key is 401 (DRF answers 403 without it).
        return KEYWORD


class DepartmentKeyScheme(OpenApiAuthenticationExtension):
    target_class = DepartmentKeyAuthentication
    name = "departmentApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key <key>`: the key the portal issued to the department.",
        }


class HasDepartmentKey(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, DepartmentAPIKey)


class DepartmentStatusView(APIView):
    """A department's system reports a new status of one of its applications."""

    authentication_classes = [DepartmentKeyAuthentication]
    permission_classes = [HasDepartmentKey]

    @extend_schema(
        operation_id="department_application_status",
        request=StatusChangeSerializer,
        responses={
            200: ApplicationSerializer,
            400: VALIDATION_ERROR,
            401: ErrorSerializer,
            404: ErrorSerializer,
        },
        description=(
            "Moves the application along its lifecycle. 401 without a valid key; 404 for a "
            "number the key's department does not handle; 400 for an unknown status or a "
            "move the lifecycle forbids (nothing is changed)."
        ),
    )
    def post(self, request: Request, number: str) -> Response:
        serializer = StatusChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = application_of_department(
            department_id=request.auth.department_id, number=number
        )
        if application is None:
            raise exceptions.NotFound("No such application.")
        data = serializer.validated_data
        try:
            application = application_status_change(
                application=application,
                to=data["status"],
                role=lifecycle.Role.DEPARTMENT,
                comment=data["comment"],
                reason=data["reason"],
            )
        except (PermissionDenied, ValidationError) as error:
            raise exceptions.ValidationError({"status": lifecycle.messages_of(error)}) from None
        return Response(ApplicationSerializer(application).data)
