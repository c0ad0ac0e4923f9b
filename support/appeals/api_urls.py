from rest_framework.routers import SimpleRouter

from support.appeals.api import AppealViewSet

router = SimpleRouter()
router.register("appeals", AppealViewSet, basename="appeal")

urlpatterns = router.urls
