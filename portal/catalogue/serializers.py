from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.catalogue.models import ApplyWay, Region, Service, ServiceCategory, ServiceDocument


class ServiceCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceCategory
        fields = ["slug", "title"]


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name"]


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceDocument
        fields = ["title", "note", "is_required"]


class ServiceListSerializer(serializers.ModelSerializer):
    category = ServiceCategorySerializer(read_only=True)
    service_type_display = serializers.CharField(source="get_service_type_display", read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Service
        fields = [
            "code",
            "title",
            "summary",
            "category",
            "service_type",
            "service_type_display",
            "all_regions",
            "processing_days",
            "cost",
            "available_online",
            "available_in_person",
            "popularity",
            "url",
        ]


class ServiceDetailSerializer(ServiceListSerializer):
    regions = RegionSerializer(many=True, read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)
    how_to_apply = serializers.ListField(
        child=serializers.CharField(), source="how_to_apply_steps", read_only=True
    )
    memo_url = serializers.SerializerMethodField()
    apply_way = serializers.ChoiceField(choices=ApplyWay.choices, read_only=True)

    class Meta(ServiceListSerializer.Meta):
        fields = [
            *ServiceListSerializer.Meta.fields,
            "applicants",
            "result",
            "how_to_apply",
            "regions",
            "documents",
            "department",
            "department_contacts",
            "apply_way",
            "apply_url",
            "memo_url",
            "updated_at",
        ]

    @extend_schema_field(OpenApiTypes.STR)
    def get_memo_url(self, service: Service) -> str:
        return reverse("catalogue:memo", kwargs={"code": service.code})


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class FacetsSerializer(serializers.Serializer):
    """Counts per filter value with the rest of the query kept, as on the site."""

    type = FacetValueSerializer(many=True, source="types")
    type_any = serializers.IntegerField(source="types_any")
    category = FacetValueSerializer(many=True, source="categories")
    category_any = serializers.IntegerField(source="categories_any")
    region = FacetValueSerializer(many=True, source="regions")
    region_any = serializers.IntegerField(source="regions_any")
    online = serializers.IntegerField()
    online_any = serializers.IntegerField()


class ServiceSearchSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    num_pages = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ServiceListSerializer(many=True)
    facets = FacetsSerializer()
    exact_match = ServiceListSerializer(
        allow_null=True, help_text="The service whose number `q` is, if it is one."
    )
    notices = serializers.ListField(
        child=serializers.CharField(), help_text="Parameters that were ignored, and why."
    )
    corrected_query = serializers.CharField(allow_null=True)
    partial = serializers.BooleanField(
        help_text="Nothing matched every word; these results match some of them."
    )
