from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from support.contacts.models import ContactChannel, OpeningHours


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


@admin.register(ContactChannel)
class ContactChannelAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "value", "always_open", "show_in_footer", "is_active", "order"]
    list_editable = ["order", "is_active", "show_in_footer"]
    list_filter = ["kind", "is_active", "always_open"]
    search_fields = ["title", "value", "note"]
    inlines = [OpeningHoursInline]
