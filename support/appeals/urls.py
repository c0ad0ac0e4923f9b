from django.urls import path, re_path

from support.appeals import feedback_views, operator_views, views

app_name = "appeals"

NUMBER = r"(?P<number>\d{6,12})"

urlpatterns = [
    path("feedback/", feedback_views.feedback, name="feedback"),
    path("feedback/files/", feedback_views.feedback_upload, name="upload"),
    path("feedback/suggest/", feedback_views.feedback_suggest, name="suggest"),
    path("feedback/consent/", feedback_views.consent_text, name="consent"),
    re_path(rf"^feedback/sent/{NUMBER}/$", feedback_views.sent, name="sent"),
    path("appeals/", views.my_appeals, name="mine"),
    path("appeals/lookup/", views.lookup, name="lookup"),
    re_path(rf"^appeals/{NUMBER}/$", views.appeal_detail, name="detail"),
    re_path(
        rf"^appeals/{NUMBER}/files/(?P<key>[0-9a-f-]{{36}})/$",
        views.attachment_download,
        name="attachment",
    ),
    re_path(rf"^appeals/{NUMBER}/resolved/$", views.appeal_resolved, name="resolved"),
    re_path(
        rf"^appeals/{NUMBER}/(?P<step>clarify|add|review|escalate)/$",
        views.appeal_step,
        name="step",
    ),
    path("operator/appeals/", operator_views.queue, name="operator-queue"),
    re_path(rf"^operator/appeals/{NUMBER}/$", operator_views.detail, name="operator-detail"),
    re_path(
        rf"^operator/appeals/{NUMBER}/(?P<action>[a-z]+)/$", operator_views.act, name="operator-act"
    ),
]
