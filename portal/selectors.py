from django.http import HttpRequest

from portal.accessibility import COOKIE_NAME, AccessibilityPrefs


def accessibility_prefs_for(*, request: HttpRequest) -> AccessibilityPrefs:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user.accessibility
    return AccessibilityPrefs.from_cookie(request.COOKIES.get(COOKIE_NAME))
