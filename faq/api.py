"""Read-only API over published articles: the same search as the site."""

from django.db.models import Case, IntegerField, QuerySet, Value, When
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets

from faq.models import Article
from faq.selectors import SEARCH_KIND, faq_synonyms
from faq.serializers import ArticleSerializer
from portal.search.selectors import search_ids


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "search",
                OpenApiTypes.STR,
                description="Full-text search with Russian morphology, typos and synonyms.",
            )
        ]
    )
)
class ArticleViewSet(viewsets.ReadOnlyModelViewSet):
    """Published FAQ articles; `?search=` ranks them as the site's search does."""

    serializer_class = ArticleSerializer

    def get_queryset(self) -> QuerySet[Article]:
        articles = Article.objects.published().select_related("category")
        query = self.request.query_params.get("search", "").strip()
        if self.action != "list" or not query:
            return articles.order_by("category__order", "order", "pk")
        ids = search_ids(kind=SEARCH_KIND, query=query, synonyms=faq_synonyms())[:1000]
        rank = Case(
            *[When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)],
            output_field=IntegerField(),
        )
        return articles.filter(pk__in=ids).annotate(rank=rank).order_by("rank")
