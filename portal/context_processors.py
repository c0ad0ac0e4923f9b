from django.http import HttpRequest

from portal.selectors import accessibility_prefs_for


def accessibility(request: HttpRequest) -> dict:
    prefs = accessibility_prefs_for(request=request)
    return {"a11y": prefs, "a11y_classes": prefs.html_classes()}
