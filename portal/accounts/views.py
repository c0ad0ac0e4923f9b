"""The cabinet's settings page and the "send the letter again" form."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from portal.accounts import actions
from portal.accounts.forms import (
    ConfirmationResendForm,
    PhoneCodeForm,
    PreferencesForm,
    ProfileForm,
)
from portal.accounts.phone_codes import CODE_VALID_FOR
from portal.accounts.selectors import phone_confirmation_pending
from portal.accounts.snils import snils_display
from portal.notifications.actions import notification_preferences_set
from portal.notifications.selectors import preferences_for, push_available
from portal.phones import phone_display
from portal.ratelimits import limit_count, limited_message, limited_page, ratelimit, retry_after


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    """/my/settings/: the profile (with a new phone's SMS code) and the notification
    preferences, forms on one page told apart by their `form` field."""
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
    code_form = PhoneCodeForm()
    wait = None
    form = request.POST.get("form") if request.method == "POST" else None
    if form == "profile":
        profile = ProfileForm(request.POST, user=user)
        if profile.is_valid():
            phone = profile.cleaned_data["phone"]
            wait = _code_limit(request) if phone and phone != user.phone else None
            if wait is None:
                confirmation = actions.profile_update(user=user, **profile.cleaned_data)
                messages.success(request, _("Профиль сохранён."))
                if confirmation is not None:
                    messages.info(request, _code_sent_message(confirmation.phone))
                return redirect("accounts:settings")
            profile.add_error("phone", limited_message(wait))
    elif form == "phone-code":
        code_form = PhoneCodeForm(request.POST)
        if code_form.is_valid():
            try:
                actions.phone_confirmation_confirm(user=user, code=code_form.cleaned_data["code"])
            except ValidationError as error:
                if phone_confirmation_pending(user=user) is None:
                    # Nothing is waiting any more (the number is in another account, or the
                    # change was cancelled): said at the top of the page, not by a form.
                    messages.error(request, " ".join(error.messages))
                    return redirect("accounts:settings")
                code_form.add_error(None, error)
            else:
                messages.success(request, _("Телефон подтверждён и сохранён в профиле."))
                return redirect("accounts:settings")
    elif form == "phone-code-resend":
        wait = _code_limit(request)
        if wait is None:
            try:
                confirmation = actions.phone_confirmation_resend(user=user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.info(request, _code_sent_message(confirmation.phone))
            return redirect("accounts:settings")
        messages.error(request, limited_message(wait))
    elif form == "phone-code-cancel":
        actions.phone_confirmation_cancel(user=user)
        messages.info(request, _("Смена номера отменена: в профиле остался прежний номер."))
        return redirect("accounts:settings")
    elif form == "preferences":
        preferences = PreferencesForm(request.POST)
        if preferences.is_valid():
            notification_preferences_set(user=user, chosen=preferences.chosen())
            messages.success(request, _("Настройки уведомлений сохранены."))
            return redirect("accounts:settings")
    pending = phone_confirmation_pending(user=user)
    response = render(
        request,
        "portal/my/settings.html",
        {
            "profile": profile,
            "preferences": preferences,
            "push_available": push_available(),
            "code_form": code_form,
            "pending_phone": phone_display(pending.phone) if pending else "",
            "code_valid_minutes": int(CODE_VALID_FOR.total_seconds() // 60),
        },
        status=429 if wait is not None else 200,
    )
    if wait is not None:
        response["Retry-After"] = retry_after(wait)
    return response


def _code_limit(request: HttpRequest):
    """SMS codes sent for this account: None within the limit, else the wait."""
    return limit_count(request, group="phone-code", key="user", rate=settings.PHONE_CODE_RATE)


def _code_sent_message(phone: str) -> str:
    return _(
        "Мы отправили SMS с кодом на номер %(phone)s. Введите код ниже: номер появится "
        "в профиле после подтверждения."
    ) % {"phone": phone_display(phone)}


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
