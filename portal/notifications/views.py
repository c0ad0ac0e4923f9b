"""/my/notifications/: the inbox."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from portal.notifications.actions import notifications_mark_read
from portal.notifications.selectors import notifications_for

PAGE_SIZE = 20


@never_cache
@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications_for(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "portal/my/notifications.html", {"page_obj": page})


@never_cache
@login_required
@require_GET
def header_link(request: HttpRequest) -> HttpResponse:
    """The header's «Уведомления (N)» alone, for the live pages to re-read."""
    return render(request, "portal/my/notifications_link.html")


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    """Mark all, or the ids posted, read: only ever the signed-in citizen's own."""
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()] or None
    changed = notifications_mark_read(user=request.user, ids=ids)
    if changed:
        messages.success(request, _("Отмечено прочитанным: %(count)d.") % {"count": changed})
    return redirect("notifications:inbox")
