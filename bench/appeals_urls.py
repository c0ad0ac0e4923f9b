from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    """No template, no database: what the server and Django cost by themselves."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench-bare/", bare), path("", include("portal.urls"))]
