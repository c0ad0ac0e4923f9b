"""Settings for the whole project, driven by environment variables.

DATABASE_URL, REDIS_URL, SECRET_KEY, DEBUG and ALLOWED_HOSTS are all that differ
between a laptop (`make run`) and production.
"""

import ipaddress
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)
# A development key only works while DEBUG is on; production must set SECRET_KEY.
SECRET_KEY = env.str("SECRET_KEY", default="" if not DEBUG else "dev-only-insecure-key")
if not SECRET_KEY:
    raise environ.ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "daphne",  # must come first: its runserver serves HTTP and WebSocket
    "modeltranslation",  # before the admin, whose forms it extends
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "channels",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "csp",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "allauth",
    "allauth.account",
    "portal",
    "portal.search",
    "portal.catalogue",
    "portal.workcalendar",
    "portal.notifications",
    "portal.applications",
    "rest_framework_api_key",
    "faq",
    "support",
    "support.contacts",
    "support.appeals",
    "support.maintenance",
    "support.callbacks",
    "support.chat",
    "support.mail",
    "support.cabinet",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control: private, no-store on every response to a signed-in person.
    "portal.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Last, as axes requires: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.accessibility",
                "portal.context_processors.notifications",
                "support.context_processors.contact_channels",
                "support.context_processors.technical_works",
            ],
        },
    },
]

# --- Storage -------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file test database: browser tests run a real daphne in another process.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# Keep connections open between requests and socket events: under daphne every sync step
# of every socket runs on one thread, and opening a connection for each step (SQLite's file
# and pragmas, a PostgreSQL backend) cost more than the chat message itself.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Threads (each with its own connection) a daphne runs the chat sockets' database work in:
# 1 is Django's one thread for every socket; on PostgreSQL under load 8 keeps one slow
# statement from holding every socket's (bench/chat_load.py). SQLite has one writer: 1.
CHAT_DB_THREADS = (
    1
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    else env.int("CHAT_DB_THREADS", default=1)
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Redis Pub/Sub: a group send is one PUBLISH, where the core layer's queues cost a
    # script per send and a poll per channel. The chat's rings are doorbells (a lost one
    # is made up by the next read, see support/chat/events.py), so Pub/Sub's at-most-once
    # delivery loses nothing; under bench/chat_load.py's traffic it also stopped the
    # dropped rings. CHANNEL_LAYER_BACKEND=channels_redis.core.RedisChannelLayer goes back.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": env.str(
                "CHANNEL_LAYER_BACKEND", default="channels_redis.pubsub.RedisPubSubChannelLayer"
            ),
            # Pub/Sub channels belong to the Redis server, not to a database: the prefix
            # names the database, so two sites (or two test runs) on one server given
            # different databases never hear each other's rings.
            "CONFIG": {
                "hosts": [REDIS_URL],
                "prefix": f"pomoshch.{urlsplit(REDIS_URL).path.strip('/') or '0'}",
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pomoshch",
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Rendered template fragments, per process (no network round trip, forgotten at the next
# start): those that change only with the code and the language (the header's name, menu
# buttons and search box), and those keyed by a version in the shared cache that every
# edit renews (the footer, the FAQ search results: a few kilobytes each, the least
# recently used go first).
CACHES["template_fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "template-fragments",
    "TIMEOUT": None,
    "OPTIONS": {"MAX_ENTRIES": 2000},
}

# --- Users ---------------------------------------------------------------------
AUTH_USER_MODEL = "portal.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "support:hub"
LOGOUT_REDIRECT_URL = "support:hub"
# axes first: it refuses a locked-out sign-in before any backend checks the password.
# Then django-allauth's backend (a ModelBackend) that also takes an e-mail or a phone.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "portal.accounts.auth_backends.PhoneAwareAuthenticationBackend",
]

# --- Accounts (django-allauth) ---------------------------------------------------------------
ACCOUNT_LOGIN_METHODS = {"username", "email"}  # and a phone, through the backend above
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "portal.accounts.signup.SignupExtraForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"  # no sign-in before the address is confirmed
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # a mail scanner opening the link confirms nothing
ACCOUNT_CHANGE_EMAIL = True  # a new address replaces the old one only once confirmed
ACCOUNT_UNIQUE_EMAIL = True
# A citizen who already has an account is told so at registration, next to the field
# (the issue asks for it); the lockout and the rate limits bound what that tells a prober.
ACCOUNT_PREVENT_ENUMERATION = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = env.str("ACCOUNT_EMAIL_SUBJECT_PREFIX", default="Госуслуги: ")
ACCOUNT_ADAPTER = "portal.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "portal.accounts.forms.LoginForm",
    "signup": "portal.accounts.forms.SignupForm",
    "reset_password": "portal.accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "portal.accounts.forms.ResetPasswordKeyForm",
    "change_password": "portal.accounts.forms.ChangePasswordForm",
    "add_email": "portal.accounts.forms.ChangeEmailForm",
}
# django-axes is the one sign-in lockout (per account and address, with its cool-off page);
# allauth's own failed-login limit would answer differently for the same thing.
# Password reset answers the same for any address and counts every request, per client
# and per target address, so neither a prober nor a spammer gets far.
ACCOUNT_RATE_LIMITS = {
    "login_failed": False,
    "reset_password": env.str("ACCOUNT_RESET_PASSWORD_RATE", default="20/h/ip,3/h/key"),
}
ACCOUNT_LOGOUT_REDIRECT_URL = "support:hub"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in lockout (django-axes): AXES_FAILURE_LIMIT wrong passwords for one account from one
# address lock that pair for the cool-off. Keyed on both, so neither an attacker behind a
# shared address nor one elsewhere can lock a citizen out of their own account. The account
# is the one the login resolves to, however it was written (portal.signin). One address is
# refused for every account once its failures over all accounts reach
# AXES_ADDRESS_FAILURE_LIMIT within the cool-off.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=30)
AXES_HANDLER = "portal.signin.AccountAndAddressHandler"
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "portal.http.client_ip"
AXES_USERNAME_CALLABLE = "portal.signin.signin_username"  # the account, however written
AXES_LOCKOUT_CALLABLE = "portal.views.login_locked_out"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False  # no start-up banner; lockouts are still logged at WARNING

# --- Language and time -----------------------------------------------------------
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Русский")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Content (articles, services, contacts) in each language, Russian the original: a text
# without its English translation is shown in Russian and marked so (portal.content_language).
MODELTRANSLATION_DEFAULT_LANGUAGE = "ru"
MODELTRANSLATION_LANGUAGES = ("ru", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("ru",)
USE_I18N = True
TIME_ZONE = "Europe/Moscow"  # shown to people; stored in UTC (USE_TZ)
USE_TZ = True

# --- Static and media ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = None  # attachments are served only by permission-checked views

# Uploads over 2.5 MB stream to temporary files, never into memory; the request cap
# lets five 10 MB attachments and the form through.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # form fields only (files are not counted)
APPEALS_MAX_REQUEST_BYTES = env.int("APPEALS_MAX_REQUEST_BYTES", default=55 * 1024 * 1024)
# Files uploaded ahead of a form that was never sent: at most this much per visitor.
APPEALS_PENDING_QUOTA_BYTES = env.int("APPEALS_PENDING_QUOTA_BYTES", default=50 * 1024 * 1024)
# ...and per client address over all its visitors (a new cookie is a new visitor); more
# than one visitor's share, as many citizens may reach us from one address.
APPEALS_PENDING_ADDRESS_QUOTA_BYTES = env.int(
    "APPEALS_PENDING_ADDRESS_QUOTA_BYTES", default=200 * 1024 * 1024
)
# A callable "module.function" that receives each accepted upload and raises
# ValidationError when a scanner (e.g. ClamAV's clamd) finds something; empty: no scan.
APPEALS_FILE_SCANNER = env.str("APPEALS_FILE_SCANNER", default="")

# --- E-mail and background tasks -------------------------------------------------------
# EMAIL_URL: consolemail:// (default), smtp+tls://user:password@host:587, …
vars().update(  # django-environ's documented way; unset parts keep Django's defaults
    {k: v for k, v in env.email_url("EMAIL_URL", default="consolemail://").items() if v}
)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Поддержка Госуслуг <noreply@help.example.org>"
)
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")  # links in e-mails
# Immediate (after commit, in-process) by default; production: TASKS_BACKEND=
# django_tasks_db.DatabaseBackend and `manage.py db_worker` running beside daphne.
TASKS = {
    "default": {
        "BACKEND": env.str(
            "TASKS_BACKEND", default="django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# --- The mail channel (support.mail): letters to the support address become appeals -------
# The address citizens write to; replies come back to "<local>+<appeal>.<token>@<domain>".
MAIL_SUPPORT_ADDRESS = env.str("MAIL_SUPPORT_ADDRESS", default="support@help.example.org")
# Where `manage.py mail_receive` listens (the MTA delivers here by SMTP or LMTP).
MAIL_RECEIVE_HOST = env.str("MAIL_RECEIVE_HOST", default="127.0.0.1")
MAIL_RECEIVE_PORT = env.int("MAIL_RECEIVE_PORT", default=8025)
MAIL_MAX_BYTES = env.int("MAIL_MAX_BYTES", default=35 * 1024 * 1024)  # one letter, encoded
# The authserv-id our MTA writes in Authentication-Results (RFC 8601). Only its results are
# believed; when set, only a sender it verified (DMARC, or DKIM of the From domain) is
# linked to the account with that address. Empty: no MTA checks, the From is taken as given.
MAIL_AUTHSERV_ID = env.str("MAIL_AUTHSERV_ID", default="")
# A reply address stays valid this long after the letter that carried it.
MAIL_REPLY_TOKEN_DAYS = env.int("MAIL_REPLY_TOKEN_DAYS", default=365)
# Letters per hour that may become appeals or replies: from one address, from one domain
# (shared mail services count per address only).
MAIL_FLOOD_PER_SENDER = env.int("MAIL_FLOOD_PER_SENDER", default=10)
MAIL_FLOOD_PER_DOMAIN = env.int("MAIL_FLOOD_PER_DOMAIN", default=60)
MAIL_SHARED_DOMAINS = env.list(
    "MAIL_SHARED_DOMAINS",
    default=[
        "mail.ru",
        "bk.ru",
        "inbox.ru",
        "list.ru",
        "internet.ru",
        "yandex.ru",
        "ya.ru",
        "rambler.ru",
        "gmail.com",
        "outlook.com",
        "hotmail.com",
        "icloud.com",
    ],
)

# --- Rate limits (django-ratelimit over the default cache: Redis when REDIS_URL is set) ---
# The technical-works banner on every page reads a cache that the admin clears on change;
# with several processes and no REDIS_URL each keeps its own copy for this long.
MAINTENANCE_BANNER_CACHE_SECONDS = env.int("MAINTENANCE_BANNER_CACHE_SECONDS", default=60)
# The channels with their hours (the footer on every page, "open now" on the hub and the
# contacts page): the admin drops them on every change; the timeout only bounds how long a
# change made outside the admin takes to show.
CONTACTS_CACHE_SECONDS = env.int("CONTACTS_CACHE_SECONDS", default=300)
# A service without the department's e-service link: «Получить услугу» opens the feedback form
# with the service and this appeal topic (its slug) filled in.
CATALOGUE_APPLY_TOPIC = env.str("CATALOGUE_APPLY_TOPIC", default="applications")
APPEALS_LOOKUP_RATE = env.str("APPEALS_LOOKUP_RATE", default="10/10m")
APPEALS_FORM_RATE = env.str("APPEALS_FORM_RATE", default="20/h")
APPEALS_UPLOAD_RATE = env.str("APPEALS_UPLOAD_RATE", default="60/h")
CALLBACKS_BOOK_RATE = env.str("CALLBACKS_BOOK_RATE", default="10/h")
# Call-backs booked without an account, per client address (a new cookie is a new visitor).
CALLBACKS_VISITOR_RATE = env.str("CALLBACKS_VISITOR_RATE", default="5/h")
# Chats started without an account, per client address (a new cookie is a new visitor).
CHAT_VISITOR_START_RATE = env.str("CHAT_VISITOR_START_RATE", default="10/h")
# What a visitor started without an account joins it on sign-in: each app's take-over.
VISITOR_TAKE_OVERS = [
    "support.chat.actions.conversations_take_over",
    "support.callbacks.actions.callbacks_take_over",
]
# SMS codes that confirm a new phone number in the profile, per account.
PHONE_CODE_RATE = env.str("PHONE_CODE_RATE", default="5/h")

# --- The client's address behind a load balancer ------------------------------------------
# Addresses or networks of the proxies in front of daphne (comma-separated, e.g.
# "10.0.0.0/8,127.0.0.1"). Only their X-Forwarded-For is believed; empty: the peer address.
# Parsed here so that a typo stops the server at start rather than at the first request.
TRUSTED_PROXIES = [
    str(ipaddress.ip_network(proxy, strict=False))
    for proxy in env.list("TRUSTED_PROXIES", default=[])
]
# The rate limits and the sign-in lockout key on the same address.
RATELIMIT_IP_META_KEY = "portal.http.client_ip"

# --- Security --------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
# A lost session or cleared cookies: the portal's page that keeps what was typed.
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"
CSRF_COOKIE_HTTPONLY = False  # htmx reads no cookie; the token travels in hx-headers
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# No inline scripts or styles anywhere: htmx is configured not to inject its own.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Sessions only: HTTP Basic would be a password oracle outside the sign-in lockout's
    # page. Machines will get API keys. An anonymous request to a citizen endpoint is 401.
    "DEFAULT_AUTHENTICATION_CLASSES": ["portal.api_authentication.SessionAuthentication"],
    "DEFAULT_SCHEMA_CLASS": "portal.api_schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "portal.api_pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["portal.api_throttling.AnonRateThrottle"],
    # A throttled request is told how long to wait in words, as on the site's pages.
    "EXCEPTION_HANDLER": "portal.ratelimits.api_exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_ANON_RATE", default="600/minute"),
        "appeals-create": env.str("API_APPEALS_CREATE_RATE", default="20/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Помощь и поддержка API",
    "DESCRIPTION": "Public API of the help and support section.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Applications and appeals both have a "status": each enum keeps its own name.
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStatusEnum": "portal.applications.models.Status",
        "StatusEnum": "support.appeals.models.Status",
    },
}

# --- Search -----------------------------------------------------------------------------
# Typos are forgiven only in words this long: shorter words have too many neighbours.
SEARCH_TYPO_MIN_LENGTH = 5
# The site's own name: every article is about it, so beside other words it weighs
# next to nothing ("не пускает в госуслуги" is about getting in). Comma-separated.
SEARCH_SITE_WORDS = env.list("SEARCH_SITE_WORDS", default=["госуслуги"])
# Remember per process what the index says about single words (known stems, typo
# neighbours, document counts) until the index of that kind is written again.
SEARCH_WORD_MEMO = env.bool("SEARCH_WORD_MEMO", default=True)
# And the results of whole queries (a page of ids, highlighted titles and snippets):
# popular questions repeat, and a repeated query then costs no ranking at all.
SEARCH_RESULT_MEMO = env.bool("SEARCH_RESULT_MEMO", default=True)
# Candidates by the meaning of the whole question (sentence vectors, portal/search/
# sentences.py): about 120 MB per process and 2 KB per indexed document. Off: words alone.
SEARCH_SENTENCES = env.bool("SEARCH_SENTENCES", default=True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# --- Notifications ------------------------------------------------------------------------
# Each channel's delivery is a task; a failed attempt is retried after these delays (seconds,
# when the tasks backend can defer) up to NOTIFICATIONS_MAX_ATTEMPTS attempts in all.
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=3)
NOTIFICATIONS_RETRY_DELAYS = [60, 600]
NOTIFICATIONS_PUSH_AVAILABLE = False  # the push channel's extension point (no provider yet)
# SMS: portal.notifications.sms.ConsoleBackend (printed, or appended to SMS_FILE_PATH),
# portal.notifications.sms.HttpGatewayBackend (SMS_GATEWAY_URL, SMS_GATEWAY_TOKEN).
SMS_BACKEND = env.str("SMS_BACKEND", default="portal.notifications.sms.ConsoleBackend")
SMS_FILE_PATH = env.str("SMS_FILE_PATH", default="")
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_TOKEN = env.str("SMS_GATEWAY_TOKEN", default="")
SMS_GATEWAY_TIMEOUT = env.int("SMS_GATEWAY_TIMEOUT", default=10)
