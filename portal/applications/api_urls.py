from django.urls import re_path
from rest_framework.routers import SimpleRouter

from portal.applications.api import ApplicationViewSet, DepartmentStatusView

router = SimpleRouter()
router.register("applications", ApplicationViewSet, basename="application")

urlpatterns = [
    *router.urls,
    re_path(
        r"^department/applications/(?P<number>\d{1,20})/status/$",
        DepartmentStatusView.as_view(),
        name="department-application-status",
    ),
]
