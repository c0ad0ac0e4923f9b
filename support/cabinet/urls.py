from django.urls import path, re_path

from support.cabinet import views

app_name = "cabinet"

urlpatterns = [
    path("", views.home, name="home"),
    path("applications/", views.applications, name="applications"),
    re_path(r"^applications/(?P<number>\d{1,20})/$", views.application_detail, name="application"),
    path("applications/open/<slug:kind>/<int:pk>/", views.item_open, name="open"),
]
