from rest_framework.routers import SimpleRouter

from portal.catalogue.api import ServiceViewSet

router = SimpleRouter()
router.register("services", ServiceViewSet, basename="catalogue-api")

urlpatterns = router.urls
