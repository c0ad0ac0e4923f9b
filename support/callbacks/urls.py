from django.urls import path, re_path

from support.callbacks import views

app_name = "callbacks"

NUMBER = r"(?P<number>\d{8})"

urlpatterns = [
    path("callback/", views.book, name="book"),
    re_path(rf"^callback/{NUMBER}/$", views.detail, name="detail"),
    re_path(rf"^callback/{NUMBER}/move/$", views.move, name="move"),
    re_path(rf"^callback/{NUMBER}/cancel/$", views.cancel, name="cancel"),
    path("operator/callbacks/", views.operator_queue, name="operator-queue"),
    re_path(
        rf"^operator/callbacks/{NUMBER}/(?P<step>done|no_answer|reschedule)/$",
        views.operator_act,
        name="operator-act",
    ),
]
