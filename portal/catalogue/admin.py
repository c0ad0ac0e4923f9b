from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from portal.admin import WritesThroughActions, publication_admin_actions, side_by_side
from portal.catalogue import actions, csv_format, selectors
from portal.catalogue.forms import ServiceImportForm
from portal.catalogue.models import Region, Service, ServiceCategory, ServiceDocument


class ServiceDocumentInline(TranslationTabularInline):
    model = ServiceDocument
    extra = 1
    fields = ["order", "title", "note", "is_required"]
    ordering = ["order", "pk"]


class ServiceAdminForm(forms.ModelForm):
    """The service's admin form; which fields it has, the admin's fieldsets say (Django
    ignores a ModelAdmin form's Meta.fields)."""

    # An address typed without a scheme is the department's https site.
    apply_url = Service._meta.get_field("apply_url").formfield(assume_scheme="https")

    def clean(self):
        cleaned = super().clean()
        try:
            actions.service_regions_check(
                all_regions=cleaned.get("all_regions", False),
                regions=list(cleaned.get("regions") or []),
            )
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


_SERVICE_PUBLICATION = publication_admin_actions(
    publish=lambda services: actions.services_publish(services=services),
    unpublish=lambda services: actions.services_unpublish(services=services),
    publish_description=_("Опубликовать выбранные услуги"),
    published_message=ngettext_lazy(
        "Опубликована %(count)d услуга.", "Опубликовано услуг: %(count)d.", "count"
    ),
    unpublished_message=ngettext_lazy(
        "Снята с публикации %(count)d услуга.", "Снято с публикации: %(count)d.", "count"
    ),
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]
    search_fields = ["name", "code"]
    ordering = ["order"]


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(TranslationAdmin):
    list_display = ["title", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}


def _csv_response(services: QuerySet[Service]) -> StreamingHttpResponse:
    lines = selectors.services_csv_lines(services=selectors.services_for_export(services=services))
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in lines), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"services-{stamp}.csv"
    )
    return response


@admin.register(Service)
class ServiceAdmin(WritesThroughActions, TranslationAdmin, SimpleHistoryAdmin):
    form = ServiceAdminForm
    change_list_template = "admin/catalogue/service/change_list.html"
    list_display = [
        "code",
        "title",
        "category",
        "service_type",
        "status",
        "all_regions",
        "available_online",
        "popularity",
        "updated_at",
    ]
    list_filter = ["status", "service_type", "category", "all_regions", "available_online"]
    list_select_related = ["category"]
    search_fields = ["code", "title", "summary"]
    ordering = ["code"]
    filter_horizontal = ["regions"]
    inlines = [ServiceDocumentInline]
    readonly_fields = ["popularity", "updated_at"]
    fieldsets = [
        (
            None,
            {"fields": ["code", *side_by_side("title", "summary"), "category", "service_type"]},
        ),
        (
            _("Для гражданина"),
            {
                "fields": [
                    *side_by_side("applicants"),
                    "processing_days",
                    *side_by_side("cost", "result", "how_to_apply"),
                    "available_online",
                    "apply_url",
                    "available_in_person",
                ]
            },
        ),
        (_("Где действует"), {"fields": ["all_regions", "regions"]}),
        (_("Ведомство"), {"fields": side_by_side("department", "department_contacts")}),
        (_("Публикация"), {"fields": ["status", "popularity", "updated_at"]}),
    ]
    actions = [
        *_SERVICE_PUBLICATION,
        "export_csv",
    ]

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        """The admin's LIKE search, plus the catalogue's own (morphology, any letter case).

        SQLite's LIKE folds the case of Latin letters only: "справка" would miss
        "Справка". The full-text index knows only published services; drafts are
        still found by the LIKE search (by number, for instance).
        """
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            ids = selectors.services_matching(query=search_term)
            results = results | queryset.filter(pk__in=ids)
        return results, may_have_duplicates

    def view_on_site(self, obj: Service) -> str:
        return obj.get_absolute_url()

    def save_action(self, obj: Service) -> None:
        actions.service_save(service=obj)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # The checklist and regions are saved after the service: index them too.
        actions.services_reindex(services=[form.instance])

    def delete_action(self, objects: list[Service]) -> None:
        actions.services_delete(services=objects)

    @admin.action(description=_("Выгрузить в CSV"), permissions=["view"])
    def export_csv(self, request: HttpRequest, queryset: QuerySet[Service]) -> HttpResponse:
        return _csv_response(queryset)

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        extra_context = {
            **(extra_context or {}),
            "can_import": self._can_import(request),
        }
        return super().changelist_view(request, extra_context=extra_context)

    def _can_import(self, request: HttpRequest) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def get_urls(self) -> list[URLPattern]:
        extra = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="catalogue_service_import",
            ),
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name="catalogue_service_export",
            ),
        ]
        return extra + super().get_urls()

    def export_view(self, request: HttpRequest) -> HttpResponse:
        """The whole catalogue, drafts included, as the import expects it back."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        return _csv_response(Service.objects.all())

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self._can_import(request):
            raise PermissionDenied
        errors: list[str] = []
        if request.method == "POST":
            form = ServiceImportForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    report = actions.services_import(data=form.cleaned_data["file"].read())
                except ValidationError as error:
                    errors = error.messages
                else:
                    self.message_user(
                        request,
                        _(
                            "Импорт завершён: новых услуг — %(created)d, изменено — %(updated)d, "
                            "без изменений — %(unchanged)d."
                        )
                        % {
                            "created": report.created,
                            "updated": report.updated,
                            "unchanged": report.unchanged,
                        },
                        messages.SUCCESS,
                    )
                    return redirect("admin:catalogue_service_changelist")
        else:
            form = ServiceImportForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Импорт услуг из CSV"),
            "form": form,
            "import_errors": errors,
            "columns": csv_format.COLUMNS,
            "required_columns": csv_format.REQUIRED_COLUMNS,
            "export_url": reverse("admin:catalogue_service_export"),
        }
        status = 400 if request.method == "POST" else 200
        return TemplateResponse(
            request, "admin/catalogue/service/import.html", context, status=status
        )
