from django.urls import path

from portal.accounts import views

app_name = "accounts"

urlpatterns = [
    path("my/settings/", views.settings_page, name="settings"),
    path(
        "accounts/confirm-email/resend/",
        views.confirmation_resend,
        name="confirmation-resend",
    ),
]
