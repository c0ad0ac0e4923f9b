from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from portal.workcalendar import actions
from portal.workcalendar.models import CalendarException


@admin.register(CalendarException)
class CalendarExceptionAdmin(admin.ModelAdmin):
    list_display = ["date", "is_working_day", "is_shortened", "note", "updated_at"]
    list_filter = ["is_working_day", "is_shortened"]
    search_fields = ["note"]
    date_hierarchy = "date"

    def save_model(self, request: HttpRequest, obj: CalendarException, form, change: bool) -> None:
        actions.calendar_exception_save(exception=obj)

    def delete_model(self, request: HttpRequest, obj: CalendarException) -> None:
        actions.calendar_exceptions_delete(exceptions=[obj])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CalendarException]) -> None:
        actions.calendar_exceptions_delete(exceptions=list(queryset))
