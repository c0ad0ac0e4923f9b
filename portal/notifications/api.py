"""The signed-in citizen's notifications over the API (read only; newest first)."""

from django.db.models import QuerySet
from rest_framework import mixins, permissions, serializers, viewsets

from portal.api_private import PersonalDataMixin
from portal.notifications.models import Notification
from portal.notifications.selectors import notifications_for


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "event", "title", "body", "url", "created_at", "read_at"]


class NotificationViewSet(PersonalDataMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Notifications of the signed-in citizen."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = NotificationSerializer

    def get_queryset(self) -> QuerySet[Notification]:
        return notifications_for(user=self.request.user).order_by("-created_at", "-pk")
