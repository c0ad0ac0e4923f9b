from django.urls import path

from portal.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read/", views.mark_read, name="mark-read"),
    path("count/", views.header_link, name="count"),
]
