from django.urls import path

from support import views
from support.maintenance import views as maintenance_views
from support.maintenance.feeds import TechnicalWorksFeed

app_name = "support"

urlpatterns = [
    path("", views.hub, name="hub"),
    path("support/contacts/", views.contacts_page, name="contacts"),
    path("support/escalation/", views.escalation, name="escalation"),
    path("support/status/", maintenance_views.status, name="status"),
    path("support/status/feed/", TechnicalWorksFeed(), name="status-feed"),
    path("support/status/<int:pk>/dismiss/", maintenance_views.dismiss, name="status-dismiss"),
]
