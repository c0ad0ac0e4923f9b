from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from support.mail.actions import letter_retry
from support.mail.models import NEEDS_STAFF, InboundLetter, OutboundLetter


class NeedsStaffFilter(admin.SimpleListFilter):
    title = _("внимание сотрудника")
    parameter_name = "needs_staff"

    def lookups(self, request, model_admin):
        return [("yes", _("Не стали обращением: разобрать вручную"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(state__in=NEEDS_STAFF)
        return queryset


@admin.register(InboundLetter)
class InboundLetterAdmin(admin.ModelAdmin):
    """Every letter received, with what became of it; the unreadable ones wait here."""

    list_display = ["received_at", "from_display", "subject", "state", "trust", "appeal_link"]
    list_filter = [NeedsStaffFilter, "state", "trust"]
    search_fields = ["sender", "subject", "message_id", "envelope_from"]
    date_hierarchy = "received_at"
    actions = ["retry"]
    exclude = ["raw"]
    readonly_fields = [
        "received_at",
        "state",
        "error",
        "appeal_link",
        "sender",
        "subject",
        "trust",
        "trust_results",
        "refused_files",
        "text",
        "raw_link",
        "size",
        "envelope_from",
        "envelope_to",
        "peer",
        "message_id",
        "attempts",
        "processed_at",
        "sender_domain",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("raw").select_related("appeal")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a letter is a record: nothing received is ever dropped

    @admin.display(description=_("от кого"), ordering="sender")
    def from_display(self, letter: InboundLetter) -> str:
        return letter.sender or letter.envelope_from or "—"

    @admin.display(description=_("обращение"))
    def appeal_link(self, letter: InboundLetter) -> str:
        if letter.appeal is None:
            return "—"
        return format_html(
            '<a href="{}">№ {}</a>', letter.appeal.get_operator_url(), letter.appeal.number
        )

    @admin.display(description=_("письмо целиком"))
    def raw_link(self, letter: InboundLetter) -> str:
        url = reverse("admin:mail_inboundletter_raw", args=[letter.pk])
        return format_html('<a href="{}" download>{}</a>', url, _("Скачать .eml"))

    def get_urls(self):
        raw = self.admin_site.admin_view(self.raw_view)
        return [
            path("<int:pk>/raw/", raw, name="mail_inboundletter_raw"),
            *super().get_urls(),
        ]

    def raw_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not self.has_view_permission(request):
            return HttpResponse(status=403)
        letter = get_object_or_404(InboundLetter, pk=pk)
        response = HttpResponse(bytes(letter.raw), content_type="message/rfc822")
        response["Content-Disposition"] = f'attachment; filename="letter-{letter.pk}.eml"'
        response["X-Content-Type-Options"] = "nosniff"
        return response

    @admin.action(description=_("Разобрать снова"), permissions=["change"])
    def retry(self, request: HttpRequest, queryset) -> None:
        done = 0
        for letter in queryset.filter(state__in=NEEDS_STAFF):
            result = letter_retry(letter=letter)
            done += result is not None and result.state not in NEEDS_STAFF
        self.message_user(
            request,
            ngettext("Обработано писем: %(count)d.", "Обработано писем: %(count)d.", done)
            % {"count": done},
            messages.SUCCESS if done else messages.WARNING,
        )


@admin.register(OutboundLetter)
class OutboundLetterAdmin(admin.ModelAdmin):
    list_display = ["sent_at", "recipient", "template", "appeal"]
    search_fields = ["recipient", "message_id", "appeal__number"]
    readonly_fields = ["appeal", "message_id", "template", "recipient", "sent_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
