from django.urls import path

from support.chat import operator_views, views

app_name = "chat"

urlpatterns = [
    path("chat/", views.page, name="page"),
    path("chat/start/", views.start, name="start"),
    path("chat/<int:pk>/send/", views.send, name="send"),
    path("chat/<int:pk>/transcript.txt", views.transcript, name="transcript"),
    path("chat/<int:pk>/<slug:action>/", views.step, name="step"),
    path("chat/files/<uuid:key>/", views.file, name="file"),
    path("operator/", operator_views.home, name="operator-home"),
    path("operator/chats/<int:pk>/", operator_views.chat, name="operator-chat"),
    path("operator/chats/<int:pk>/<slug:action>/", operator_views.act, name="operator-act"),
]
