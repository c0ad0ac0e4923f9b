"""The root URLconf: the one place (with asgi.py) that sees every package."""

from allauth.account import views as account_views
from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from portal import views as portal_views

# The portal's own pages, under the "portal" namespace ("portal:accessibility").
portal_patterns = (
    [
        path("accessibility/", portal_views.accessibility_settings, name="accessibility"),
        path(
            "accessibility/toggle/",
            portal_views.accessibility_toggle,
            name="accessibility-toggle",
        ),
        path("healthz/", portal_views.healthz, name="healthz"),
    ],
    "portal",
)

handler400 = "portal.views.bad_request"
# allauth answers its own limits (sign-up, password reset…) through this handler.
handler429 = "portal.ratelimits.allauth_limited"

urlpatterns = [
    path("", include("support.urls")),
    path("help/faq/", include("faq.urls")),
    path("services/", include("portal.catalogue.urls")),
    path("", include(portal_patterns)),
    path("support/", include("support.appeals.urls")),
    path("support/", include("support.chat.urls")),
    path("support/", include("support.callbacks.urls")),
    # django-allauth's views under the names the templates and LOGIN_URL already use;
    # the same paths are "account_login" / "account_logout" in allauth's own URLconf.
    path("accounts/login/", account_views.login, name="login"),
    path("accounts/logout/", account_views.logout, name="logout"),
    path("", include("portal.accounts.urls")),  # before allauth's confirm-email/<key>/
    path("accounts/", include("allauth.urls")),
    path("my/notifications/", include("portal.notifications.urls")),
    path("my/", include("support.cabinet.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("faq.api_urls")),
    path("api/v1/", include("portal.catalogue.api_urls")),
    path("api/v1/", include("support.appeals.api_urls")),
    path("api/v1/", include("portal.applications.api_urls")),
    path("api/v1/", include("portal.notifications.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        # Swagger UI sets inline styles; only this page may (scripts stay 'self' only).
        csp_update({"style-src": [UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    # Browsers ask for /favicon.ico on pages without an icon link (the admin's).
    path("favicon.ico", portal_views.favicon),
]

handler404 = "portal.views.page_not_found"

admin.site.site_header = _("Помощь и поддержка: управление")
admin.site.site_title = _("Помощь и поддержка")
