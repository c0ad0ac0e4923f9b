from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from portal import calendar
from portal.workcalendar.models import CalendarException


@admin.register(CalendarException)
class CalendarExceptionAdmin(admin.ModelAdmin):
    list_display = ["date", "is_working_day", "is_shortened", "note", "updated_at"]
    list_filter = ["is_working_day", "is_shortened"]
    search_fields = ["note"]
    date_hierarchy = "date"

    # Deadlines read the calendar from the cache: every change must drop it.
    def save_model(self, request: HttpRequest, obj: CalendarException, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        calendar.calendar_exceptions_changed()

    def delete_model(self, request: HttpRequest, obj: CalendarException) -> None:
        super().delete_model(request, obj)
        calendar.calendar_exceptions_changed()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CalendarException]) -> None:
        super().delete_queryset(request, queryset)
        calendar.calendar_exceptions_changed()
