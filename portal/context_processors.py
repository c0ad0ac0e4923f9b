from django.http import HttpRequest

from portal.selectors import accessibility_prefs_for


def accessibility(request: HttpRequest) -> dict:
    prefs = accessibility_prefs_for(request=request)
    return {"a11y": prefs, "a11y_classes": prefs.html_classes()}


def notifications(request: HttpRequest) -> dict:
    """The header's "Уведомления (N)" for a signed-in person; one COUNT query, lazily."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from portal.notifications.selectors import unread_count

    return {"unread_notifications": lambda: unread_count(user=user)}
