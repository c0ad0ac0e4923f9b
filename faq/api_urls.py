from rest_framework.routers import SimpleRouter

from faq.api import ArticleViewSet

router = SimpleRouter()
router.register("faq/articles", ArticleViewSet, basename="faq-article")

urlpatterns = router.urls
