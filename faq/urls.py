from django.urls import path

from faq import views

app_name = "faq"

urlpatterns = [
    path("", views.faq_index, name="index"),
    path("suggest/", views.faq_suggest, name="suggest"),
    path("preview/<int:pk>/", views.faq_article_preview, name="preview"),
    path("solved/<int:pk>/", views.faq_avoided, name="avoided"),
    path("<slug:category>/", views.faq_category, name="category"),
    path("<slug:category>/<slug:article>/", views.faq_article, name="article"),
    path("<slug:category>/<slug:article>/vote/", views.faq_vote, name="vote"),
]
