"""The signed-in citizen's notifications over the API (read only; newest first)."""

from django.db.models import QuerySet
from django.utils.cache import add_never_cache_headers
from rest_framework import mixins, permissions, serializers, viewsets

from portal.notifications.models import Notification
from portal.notifications.selectors import notifications_for


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "event", "title", "body", "url", "created_at", "read_at"]


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Notifications of the signed-in citizen."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = NotificationSerializer

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)  # personal data: no browser or proxy keeps a copy
        return response

    def get_queryset(self) -> QuerySet[Notification]:
        return notifications_for(user=self.request.user).order_by("-created_at", "-pk")
