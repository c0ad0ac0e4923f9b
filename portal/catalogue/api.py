"""Read-only API over published services: the same search, filters and counts as /services/."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from portal.catalogue import selectors
from portal.catalogue.forms import CatalogueFilterForm
from portal.catalogue.models import ServiceType
from portal.catalogue.serializers import ServiceDetailSerializer, ServiceSearchSerializer
from portal.http import found_or_404

SEARCH_PARAMETERS = [
    OpenApiParameter(
        "q", OpenApiTypes.STR, description="Words (Russian morphology, typos) or a service number."
    ),
    OpenApiParameter("type", OpenApiTypes.STR, enum=ServiceType.values),
    OpenApiParameter("region", OpenApiTypes.STR, description="Region code, e.g. 77."),
    OpenApiParameter("category", OpenApiTypes.STR, description="Category slug."),
    OpenApiParameter("online", OpenApiTypes.BOOL, description="Only services available online."),
    OpenApiParameter("sort", OpenApiTypes.STR, enum=selectors.Sort.values),
    OpenApiParameter("page", OpenApiTypes.INT),
]


class ServiceViewSet(viewsets.ViewSet):
    """Published services. Unknown filter values are ignored and listed in `notices`."""

    lookup_field = "code"
    lookup_value_regex = "[0-9]{1,20}"

    @extend_schema(parameters=SEARCH_PARAMETERS, responses=ServiceSearchSerializer)
    def list(self, request: Request) -> Response:
        form = CatalogueFilterForm(request.query_params)
        query = form.query()
        exact = selectors.catalogue_number_lookup(q=query.q) if query.q else None
        results = selectors.catalogue_search(query=query)
        base = request.build_absolute_uri(reverse("catalogue-api-list"))
        data = {
            "count": results.total,
            "page": results.page_number,
            "num_pages": results.num_pages,
            "next": f"{base}?{results.next_query}" if results.has_next else None,
            "previous": f"{base}?{results.previous_query}" if results.has_previous else None,
            "results": [hit.service for hit in results.hits],
            "facets": results.facets,
            "exact_match": exact,
            "notices": form.notices + results.notices,
            "corrected_query": results.corrected_query,
            "partial": results.partial,
        }
        return Response(ServiceSearchSerializer(data).data)

    @extend_schema(responses=ServiceDetailSerializer)
    def retrieve(self, request: Request, code: str) -> Response:
        service = found_or_404(selectors.service_get(code=code))
        return Response(ServiceDetailSerializer(service).data)
