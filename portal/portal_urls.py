from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path("accessibility/", views.accessibility_settings, name="accessibility"),
    path("accessibility/toggle/", views.accessibility_toggle, name="accessibility-toggle"),
    path("healthz/", views.healthz, name="healthz"),
]
