from django.contrib import admin

from portal.admin import WritesThroughActions
from portal.workcalendar import actions
from portal.workcalendar.models import CalendarException


@admin.register(CalendarException)
class CalendarExceptionAdmin(WritesThroughActions, admin.ModelAdmin):
    list_display = ["date", "is_working_day", "is_shortened", "note", "updated_at"]
    list_filter = ["is_working_day", "is_shortened"]
    search_fields = ["note"]
    date_hierarchy = "date"

    def save_action(self, obj: CalendarException) -> None:
        actions.calendar_exception_save(exception=obj)

    def delete_action(self, objects: list[CalendarException]) -> None:
        actions.calendar_exceptions_delete(exceptions=objects)
