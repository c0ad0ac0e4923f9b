from django.http import HttpRequest, HttpResponse

from portal.accessibility import COOKIE_MAX_AGE, COOKIE_NAME, AccessibilityPrefs
from portal.models import User


def accessibility_prefs_save(
    *, request: HttpRequest, response: HttpResponse, prefs: AccessibilityPrefs
) -> None:
    """Remember the choice on the profile (signed in) and always in the cookie.

    The cookie too, so that the choice survives signing out on a shared computer
    only until the browser forgets it, and visitors get it at all.
    """
    user = request.user
    if user.is_authenticated:
        assert isinstance(user, User)
        user.a11y_enabled = prefs.enabled
        user.a11y_font_size = prefs.font_size
        user.a11y_scheme = prefs.scheme
        user.a11y_images = prefs.images
        user.save(update_fields=["a11y_enabled", "a11y_font_size", "a11y_scheme", "a11y_images"])
    response.set_cookie(
        COOKIE_NAME,
        prefs.to_cookie(),
        max_age=COOKIE_MAX_AGE,
        samesite="Lax",
        httponly=True,
        secure=request.is_secure(),
    )
