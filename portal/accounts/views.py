"""The cabinet's settings page and the "send the letter again" form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from portal.accounts import actions
from portal.accounts.forms import ConfirmationResendForm, PreferencesForm, ProfileForm
from portal.accounts.snils import snils_display
from portal.notifications.actions import notification_preferences_set
from portal.notifications.selectors import preferences_for, push_available
from portal.ratelimits import limited_page, ratelimit


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    """/my/settings/: the profile and the notification preferences, two forms on one page."""
    user = request.user
    profile = ProfileForm(
        user=user,
        initial={
            "last_name": user.last_name,
            "first_name": user.first_name,
            "middle_name": user.middle_name,
            "phone": user.phone,
            "snils": snils_display(user.snils),
        },
    )
    preferences = PreferencesForm(initial=PreferencesForm.initial_from(preferences_for(user=user)))
    if request.method == "POST" and request.POST.get("form") == "profile":
        profile = ProfileForm(request.POST, user=user)
        if profile.is_valid():
            actions.profile_update(user=user, **profile.cleaned_data)
            messages.success(request, _("Профиль сохранён."))
            return redirect("accounts:settings")
    elif request.method == "POST" and request.POST.get("form") == "preferences":
        preferences = PreferencesForm(request.POST)
        if preferences.is_valid():
            notification_preferences_set(user=user, chosen=preferences.chosen())
            messages.success(request, _("Настройки уведомлений сохранены."))
            return redirect("accounts:settings")
    return render(
        request,
        "portal/my/settings.html",
        {"profile": profile, "preferences": preferences, "push_available": push_available()},
    )


@require_http_methods(["GET", "POST"])
@ratelimit(group="confirmation-resend", key="ip", rate="10/h", method="POST")
def confirmation_resend(request: HttpRequest) -> HttpResponse:
    """Another confirmation letter for an account that cannot sign in until it confirms."""
    form = ConfirmationResendForm(request.POST or None)
    if request.method == "POST" and getattr(request, "limited", False):
        return limited_page(request)
    if request.method == "POST" and form.is_valid():
        actions.email_confirmation_resend(request=request, email=form.cleaned_data["email"])
        messages.success(
            request,
            _(
                "Если учётная запись с этим адресом ждёт подтверждения, мы отправили письмо "
                "ещё раз. Проверьте почту и папку «Спам»."
            ),
        )
        return redirect("account_email_verification_sent")
    return render(request, "account/confirmation_resend.html", {"form": form})
