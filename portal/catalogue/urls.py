from django.urls import path

from portal.catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("", views.catalogue_index, name="index"),
    path("<str:code>/", views.service_detail, name="detail"),
    path("<str:code>/pamyatka.pdf", views.service_memo, name="memo"),
]
