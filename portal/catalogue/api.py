"""Read-only API over published services: the same search, filters and counts as /services/."""

from django.urls import reverse
from drf_spectacular.helpers import forced_singular_serializer
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

# The filters are read leniently (CatalogueFilterForm): a value that is not understood is
# ignored and reported in `notices`, never a 400. So they are strings here, with the values
# that work in their descriptions: an enum or integer type would promise a refusal.
IGNORED = " Any other value is ignored and reported in `notices`."
SEARCH_PARAMETERS = [
    OpenApiParameter(
        "q", OpenApiTypes.STR, description="Words (Russian morphology, typos) or a service number."
    ),
    OpenApiParameter(
        "type", OpenApiTypes.STR, description=f"One of: {', '.join(ServiceType.values)}.{IGNORED}"
    ),
    OpenApiParameter("region", OpenApiTypes.STR, description=f"Region code, e.g. 77.{IGNORED}"),
    OpenApiParameter("category", OpenApiTypes.STR, description=f"Category slug.{IGNORED}"),
    OpenApiParameter(
        "online",
        OpenApiTypes.STR,
        description=f"1, true, yes, да: only services available online; 0, false, no, нет: all."
        f"{IGNORED}",
    ),
    OpenApiParameter(
        "sort",
        OpenApiTypes.STR,
        description=f"One of: {', '.join(selectors.Sort.values)} (default relevance).{IGNORED}",
    ),
    OpenApiParameter(
        "page",
        OpenApiTypes.STR,
        description=f"Page number from 1; past the end, the last page.{IGNORED}",
    ),
]


class ServiceViewSet(viewsets.ViewSet):
    """Published services. Unknown filter values are ignored and listed in `notices`."""

    lookup_field = "code"
    lookup_value_regex = "[0-9]{1,20}"

    # One object (a page of results with the facets), not a list as `list` usually is.
    @extend_schema(
        parameters=SEARCH_PARAMETERS, responses=forced_singular_serializer(ServiceSearchSerializer)
    )
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

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "code", OpenApiTypes.STR, OpenApiParameter.PATH, pattern=r"^[0-9]{1,20}$"
            )
        ],
        responses=ServiceDetailSerializer,
    )
    def retrieve(self, request: Request, code: str) -> Response:
        service = found_or_404(selectors.service_get(code=code))
        return Response(ServiceDetailSerializer(service).data)
