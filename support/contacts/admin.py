from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from support.contacts import actions
from support.contacts import models as contacts
from support.contacts.models import SPECIAL_OVERLAP


class OpeningHoursInline(admin.TabularInline):
    model = contacts.OpeningHours
    extra = 0


class SpecialHoursFormSet(BaseInlineFormSet):
    """Rows added together must not overlap either (the model checks saved rows only)."""

    def clean(self) -> None:
        super().clean()
        spans = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if (
                not data
                or data.get("DELETE")
                or not data.get("starts_on")
                or not data.get("ends_on")
            ):
                continue
            for start, end in spans:
                if data["starts_on"] <= end and data["ends_on"] >= start:
                    raise ValidationError(SPECIAL_OVERLAP)
            spans.append((data["starts_on"], data["ends_on"]))


class SpecialHoursInline(TranslationTabularInline):
    model = contacts.SpecialHours
    formset = SpecialHoursFormSet
    extra = 0
    fields = ["starts_on", "ends_on", "is_closed", "opens", "closes", "note"]


class VoiceMenuInline(TranslationTabularInline):
    model = contacts.VoiceMenuItem
    extra = 0
    fields = ["key", "title"]


@admin.register(contacts.ContactChannel)
class ContactChannelAdmin(TranslationAdmin, SimpleHistoryAdmin):
    list_display = [
        "title",
        "kind",
        "value",
        "always_open",
        "answer_minutes",
        "show_in_footer",
        "is_active",
        "order",
    ]
    list_editable = ["order", "is_active", "show_in_footer"]
    list_filter = ["kind", "is_active", "always_open"]
    search_fields = ["title", "value", "note"]
    inlines = [OpeningHoursInline, SpecialHoursInline, VoiceMenuInline]

    # The footer on every page and "open now" read a cache: every change must drop it
    # (after the commit too, so also once the inlines, the hours, are saved).
    def save_model(
        self, request: HttpRequest, obj: contacts.ContactChannel, form, change: bool
    ) -> None:
        actions.contact_channel_save(channel=obj)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        actions.contact_channels_changed()  # the hours and the voice menu, saved inline

    def delete_model(self, request: HttpRequest, obj: contacts.ContactChannel) -> None:
        actions.contact_channels_delete(channels=contacts.ContactChannel.objects.filter(pk=obj.pk))

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        actions.contact_channels_delete(channels=queryset)


@admin.register(contacts.RegionalOffice)
class RegionalOfficeAdmin(TranslationAdmin, SimpleHistoryAdmin):
    list_display = ["title", "region", "address", "is_active"]
    list_filter = ["is_active", "region"]
    search_fields = ["title", "address", "region__name"]
    autocomplete_fields = ["region"]


@admin.register(contacts.ManagementContact)
class ManagementContactAdmin(TranslationAdmin):
    list_display = ["position", "name", "phone", "email", "is_active", "order"]
    list_editable = ["order", "is_active"]
