"""The hub and the contact pages: channels, offices, escalation."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from faq.forms import SearchForm
from faq.selectors import faq_categories, faq_popular
from portal.channels import ChannelKind
from portal.ratelimits import limited_page
from support.appeals.actions import appeal_escalate
from support.appeals.rules import DEADLINES_EXPLAINED
from support.appeals.selectors import appeal_lookup
from support.appeals.views import number_asked, number_guesses_limited
from support.contacts import selectors as contacts
from support.contacts.charts import bar_chart
from support.contacts.load import contact_load, quietest_windows, windows_text
from support.contacts.models import Weekday
from support.forms import EscalationForm, RegionFilterForm

LOOKUP_FAILED = gettext_lazy("Обращение не найдено. Проверьте номер и адрес электронной почты.")
ESCALATED = gettext_lazy(
    "Обращение № %(number)s передано руководителю. Ответ придёт на адрес, указанный в обращении."
)
# When no phone line has hours yet, advise within the seed's working day.
DEFAULT_ADVICE_HOURS = (8, 20)


@require_GET
def hub(request: HttpRequest) -> HttpResponse:
    """The help hub: ask first, then browse, then reach a person."""
    channels = contacts.contact_channels_status()
    return render(
        request,
        "support/hub.html",
        {
            "form": SearchForm(),
            "popular": faq_popular(limit=8),
            "categories": faq_categories(),
            "channels": channels,
            "quickest": contacts.quickest_open(channels),
        },
    )


def _advice_hours(channels: list[contacts.ChannelStatus]) -> tuple[int, int]:
    """The span of the phone lines' weekday hours: quiet hours are only useful then."""
    spans = [
        (row.opens.hour, row.closes.hour + (1 if row.closes.minute else 0))
        for item in channels
        if item.channel.kind == ChannelKind.PHONE and not item.channel.always_open
        for row in item.channel.hours.all()
        if row.weekday < 5
    ]
    if not spans:
        return DEFAULT_ADVICE_HOURS
    return min(s[0] for s in spans), max(s[1] for s in spans)


def _load_context(channels: list[contacts.ChannelStatus]) -> dict:
    load = contact_load()
    opens, closes = _advice_hours(channels)
    windows = quietest_windows(by_hour=load.by_hour, opens=opens, closes=closes)
    quiet_hours = {hour for start, end in windows for hour in range(start, end)}
    averages = load.hour_average
    weekday_names = [str(contacts.SHORT_DAYS[day]) for day in range(7)]
    return {
        "load": load,
        "quiet_text": windows_text(windows) if load.total else "",
        "hour_chart": bar_chart(
            labels=[f"{hour:02d}" for hour in range(24)],
            values=averages,
            quiet=quiet_hours,
            label_every=3,
        ),
        "hour_rows": [
            (f"{hour:02d}:00–{hour + 1:02d}:00" if hour < 23 else "23:00–24:00", averages[hour])
            for hour in range(24)
        ],
        "weekday_chart": bar_chart(
            labels=weekday_names, values=[round(n / load.weeks, 1) for n in load.by_weekday]
        ),
        "weekday_rows": [
            (str(Weekday(day).label), round(load.by_weekday[day] / load.weeks, 1))
            for day in range(7)
        ],
    }


@require_GET
def contacts_page(request: HttpRequest) -> HttpResponse:
    """Every channel with its hours, the voice menu, how to prepare, regional offices."""
    channels = contacts.contact_channels_status(details=True)
    regions = contacts.regions_with_offices()
    region_form = RegionFilterForm(request.GET or None, regions=regions)
    region_code = region_form.region_code if request.GET else ""
    return render(
        request,
        "support/contacts.html",
        {
            "channels": channels,
            "special_days": contacts.special_days_once(channels),
            "always_open": [item.title for item in channels if item.channel.always_open],
            "voice_lines": [item for item in channels if item.voice_menu],
            "region_form": region_form,
            "region_code": region_code,
            "offices": list(contacts.regional_offices(region_code=region_code)),
            "now": timezone.localtime(),
            **_load_context(channels),
        },
    )


def _escalation_render(request: HttpRequest, form: EscalationForm, status: int = 200):
    return render(
        request,
        "support/escalation.html",
        {
            "form": form,
            "management": contacts.management_contacts(),
            "deadlines_explained": DEADLINES_EXPLAINED,
        },
        status=status,
    )


@number_guesses_limited  # the appeal lookup's bucket
@require_http_methods(["GET", "POST"])
def escalation(request: HttpRequest) -> HttpResponse:
    """When and how to escalate, whom to reach, and the form that hands an appeal upwards."""
    if request.method == "GET":
        form = EscalationForm(initial={"number": number_asked(request)})
        return _escalation_render(request, form)
    if getattr(request, "limited", False):
        return limited_page(request)
    form = EscalationForm(request.POST)
    if not form.is_valid():
        return _escalation_render(request, form, status=400)
    appeal = appeal_lookup(number=form.cleaned_data["number"], email=form.cleaned_data["email"])
    if appeal is None:
        form.add_error(None, LOOKUP_FAILED)
        return _escalation_render(request, form, status=400)
    actor = request.user if request.user.is_authenticated else None
    try:
        appeal_escalate(appeal=appeal, actor=actor, text=form.cleaned_data["reason"])
    except ValidationError as error:
        # The action calls what a person wrote "text"; this form, "reason".
        form.refusal_add(error, fields={"text": "reason"})
        return _escalation_render(request, form, status=400)
    messages.success(request, ESCALATED % {"number": appeal.number})
    return redirect(reverse("support:escalation") + "#escalation-form-title")
