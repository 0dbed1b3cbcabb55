"""Settings for the partnership training site.

Every value comes from the environment. With nothing set, the site runs for
development on SQLite with Celery tasks executed in-process, so a fresh machine
needs no servers. Production must set SECRET_KEY (there is no default when
DEBUG is off).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "development-only-secret-key-not-for-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The partnership this install serves; shown in the header, e-mails and feeds.
PARTNERSHIP_NAME = env("PARTNERSHIP_NAME", "Riverside Safeguarding Children Partnership")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    # django.contrib.admin, open to superusers only (config/admin.py).
    "config.apps.SuperuserAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "csp",
    "django_filters",
    "django_tables2",
    "core",
    "accounts",
    "courses",
    "bookings",
    "evaluations",
    "elearning",
    "payments",
    "certificates",
    "reports",
    "privacy",
    "audit",
]

MIDDLEWARE = [
    # First, so every response (redirects and errors too) carries X-Request-ID.
    "core.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Logs a refusal of someone else's record (core/http.py) with the URL it answered.
    "core.http.RefusalLogMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    # Staff who must use two-factor sign-in and have not set it up can only set it up.
    "accounts.mfa.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.NoStoreMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # django-axes last, as its documentation asks: it turns a failed sign-in
    # it has flagged into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take SQLite's write lock at BEGIN, which
    # serialises writers instead of failing them with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username and address is refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# django-allauth: the e-mail address is the log-in, and it must be verified.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# The programme's users are practitioners who forget they registered years ago:
# sign-up says plainly that an address already has an account and offers the
# log-in and password reset. This trades allauth's enumeration protection for
# a clear message (the issue asks for it); sign-in and password reset still
# reveal nothing (accounts.password_reset).
ACCOUNT_PREVENT_ENUMERATION = False
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm", "reset_password": "accounts.password_reset.ResetPasswordForm"}
# Every way of signing in (password, e-mail confirmation, password reset) goes
# through allauth's login stages, so two-factor sign-in is asked for on each;
# Django admin's own log-in page only sends people here (config/urls.py).
# Signing in by an e-mailed code, which would skip the password, stays off.
ACCOUNT_LOGIN_BY_CODE_ENABLED = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
LOGIN_REDIRECT_URL = "courses:calendar"
LOGIN_URL = "account_login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
]
# Uploaded files: on this host's disk under MEDIA_ROOT, or (MEDIA_STORAGE=s3) in
# an S3-compatible bucket that every web and worker host shares. The bucket is
# private: objects are never public-read, and the site serves them through its
# own views. Credentials come from boto3's usual sources (AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY, or the host's role), never from this file.
MEDIA_STORAGE = env("MEDIA_STORAGE", "filesystem")
if MEDIA_STORAGE == "s3":
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("MEDIA_S3_BUCKET"),
            "endpoint_url": env("MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": env("MEDIA_S3_REGION") or None,
            "location": env("MEDIA_S3_PREFIX", ""),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
elif MEDIA_STORAGE == "filesystem":
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured("MEDIA_STORAGE must be filesystem or s3.")
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_STORAGE",
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage",
        ),
        # Static files are public: readable by the proxy's user when it serves
        # STATIC_ROOT itself, unlike uploads (FILE_UPLOAD_PERMISSIONS below).
        "OPTIONS": {"file_permissions_mode": 0o644, "directory_permissions_mode": 0o755},
    },
}
MEDIA_ROOT = Path(env("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
# Uploaded files live outside the web root: nothing serves MEDIA_URL. Pictures
# and report PDFs go out through views that check who asks and send them as
# attachments. Files are readable by the site's own user and group only.
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750

# E-mail: printed to the console in development; SMTP when EMAIL_HOST is set.
EMAIL_HOST = env("EMAIL_HOST", "")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "training@partnership.example.org")
# For EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend (the CI smoke test).
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH")

# Celery: with no broker configured, tasks run in-process (eagerly), so the
# embedded default needs no Redis. Production sets CELERY_BROKER_URL or REDIS_URL.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", env("REDIS_URL", ""))
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
# A task whose worker dies mid-run (killed, out of memory) goes back on the
# queue instead of being lost; every task is safe to run twice.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# One message at a time per worker process, so a long PDF holds back no e-mail.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Losing the broker connection returns unacknowledged messages to the queue;
# the tasks still running on them are stopped, so none runs twice at once.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# With the broker down, queueing gives up within a few seconds instead of
# hanging the request: the outbox sweep and reconciliation jobs catch up.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis hands an unacknowledged message to another worker after this many
# seconds. It must outlast the longest task and the longest retry back-off
# (a retry waits, unacknowledged, in the worker), or work would run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": int(env("CELERY_VISIBILITY_TIMEOUT", "7200"))}
# Tasks that reach the network (mail, Stripe, file storage) retry after a
# random wait of up to TASK_RETRY_BACKOFF × 2^retries seconds, never more than
# TASK_RETRY_BACKOFF_MAX; an e-mail refused EMAIL_MAX_ATTEMPTS times is reported.
TASK_RETRY_BACKOFF = int(env("TASK_RETRY_BACKOFF", "60"))
TASK_RETRY_BACKOFF_MAX = int(env("TASK_RETRY_BACKOFF_MAX", "1800"))
EMAIL_MAX_ATTEMPTS = int(env("EMAIL_MAX_ATTEMPTS", "8"))
# /health/jobs/ answers 503 when no worker has run the heartbeat job (every
# minute) for this many seconds.
JOBS_HEARTBEAT_STALE_SECONDS = int(env("JOBS_HEARTBEAT_STALE_SECONDS", "300"))
# A card payment still pending this long after it began is checked with Stripe
# by the reconciliation job, in case its webhook never arrived.
PAYMENT_RECONCILE_AFTER_MINUTES = int(env("PAYMENT_RECONCILE_AFTER_MINUTES", "15"))
CELERY_TIMEZONE = TIME_ZONE
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The embedded broker `make run` uses: messages are files in one folder, so
    # the demo's worker and scheduler run with no Redis.
    _broker_folder = Path(env("CELERY_FILESYSTEM_FOLDER", BASE_DIR / ".celery" / "broker"))
    _broker_folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,
        "data_folder_in": str(_broker_folder),
        "data_folder_out": str(_broker_folder),
        "control_folder": str(_broker_folder.parent / "control"),
    }
CELERY_BEAT_SCHEDULE = {
    "waitlist-offers-expire": {"task": "bookings.tasks.waitlist_offers_expire", "schedule": 300},
    "reminders-send": {"task": "bookings.tasks.reminders_send", "schedule": 3600},
    "undersubscription-alert": {
        "task": "bookings.tasks.undersubscription_alert_send",
        "schedule": crontab(hour=7, minute=0),
    },
    # Also queues the e-mails' retries, which wait in the database (core.tasks.email_deliver).
    "email-outbox-sweep": {"task": "core.tasks.email_outbox_sweep", "schedule": 60},
    # A worker seen within JOBS_HEARTBEAT_STALE_SECONDS is reported alive on /health/jobs/;
    # a heartbeat queued while no worker runs is dropped after a minute, not piled up.
    "jobs-heartbeat": {"task": "core.tasks.jobs_heartbeat", "schedule": 60, "options": {"expires": 60}},
    "report-runs-requeue": {"task": "reports.tasks.report_runs_requeue", "schedule": 300},
    "payment-holds-expire": {"task": "bookings.tasks.booking_payment_holds_expire", "schedule": 120},
    "payments-reconcile": {"task": "payments.tasks.payments_reconcile", "schedule": 300},
    "evaluation-requests-open": {"task": "evaluations.tasks.evaluation_requests_open", "schedule": 3600},
    "evaluation-reminders-send": {
        "task": "evaluations.tasks.evaluation_reminders_send",
        "schedule": crontab(hour=10, minute=0),
    },
    "retention-anonymise": {"task": "privacy.tasks.retention_anonymise", "schedule": crontab(hour=2, minute=30)},
}

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("REDIS_URL")}
        if env("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

MESSAGE_TAGS = {}

DJANGO_TABLES2_TEMPLATE = "core/_table.html"

# Calendar pages list this many sessions at a time.
CALENDAR_PAGE_SIZE = int(env("CALENDAR_PAGE_SIZE", "25"))

# Logs go to standard error (systemd's journal, or the container's log): one
# JSON object a line in production, readable lines in development. Every line
# carries the request id (core.request_id), in web requests and Celery tasks alike.
LOG_FORMAT = env("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("LOG_FORMAT must be json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.request_id.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",  # ISO 8601, UTC
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}

# --- Security of the web tier (OWASP ASVS level 2) -----------------------------
# Production (DEBUG off) gets the strict values; each can be changed from the
# environment. `manage.py check --deploy --fail-level WARNING` passes with them.

# HTTPS only. Behind a reverse proxy that ends TLS, set TRUSTED_PROXY_SSL_HEADER
# so Django believes the proxy's X-Forwarded-Proto (and the proxy must overwrite
# any such header a client sends); without it the redirect would loop.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
if env_bool("TRUSTED_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Load balancers (/health/) and monitoring (/health/jobs/) probe the health checks
# over plain http on the private network; they show only which parts are up, so
# they need not be redirected.
SECURE_REDIRECT_EXEMPT = [r"^health/(jobs/)?$"]
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading binds every subdomain of the registrable domain (usually the
# council's) to HTTPS in browsers for good: the domain owner's decision, so off
# unless asked for, and the check that recommends it is silenced while it is off.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Permissions-Policy (core.middleware.PermissionsPolicyMiddleware): the browser
# features the site never uses are off for its pages and any frame on them.
# Payments stay open to the page itself and to Stripe's payment form, which may
# offer wallets (the Payment Request API) from its frames on js.stripe.com.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "bluetooth", "browsing-topics", "camera", "display-capture", "geolocation",
        "gyroscope", "hid", "magnetometer", "microphone", "midi", "screen-wake-lock", "serial", "usb",
        "xr-spatial-tracking",
    )
} | {"payment": ["self", '"https://js.stripe.com"']}

# Cookies. In production they are Secure and carry the `__Host-` prefix, which
# makes browsers refuse them unless set over HTTPS for the whole host (no
# Domain, Path=/), so neither a subdomain nor a plain-http page can plant or
# overwrite them. Browsers also refuse a `__Host-` cookie without Secure, so
# development over http://127.0.0.1 keeps Django's ordinary names.
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_NAME = "__Host-sessionid" if SESSION_COOKIE_SECURE else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if CSRF_COOKIE_SECURE else "csrftoken"
SESSION_COOKIE_HTTPONLY = True
# No script of the site reads the CSRF token from the cookie (forms carry it).
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Sessions end after SESSION_IDLE_MINUTES without a request and, however busy,
# SESSION_MAX_HOURS after signing in. accounts.middleware.SessionLifetimeMiddleware
# enforces the second and renews a signed-in session's expiry as it is used
# (at most once a minute, rather than SESSION_SAVE_EVERY_REQUEST's write on
# every request).
SESSION_COOKIE_AGE = int(env("SESSION_IDLE_MINUTES", "30")) * 60
SESSION_ABSOLUTE_AGE = int(env("SESSION_MAX_HOURS", "12")) * 3600

# Content-Security-Policy (django-csp). Scripts come from the site itself, and
# the one inline script (base.html) carries the request's nonce. Style
# attributes are allowed because the report charts draw each bar's width from
# the data (style="width: 40%"); an attribute can hold no selector and fetch
# nothing that img-src and font-src do not allow. Stripe's hosts are added on
# the payment page only (payments.views.booking_pay). CSP_REPORT_ONLY=true
# sends the policy as Content-Security-Policy-Report-Only instead.
_CSP = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
if env_bool("CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP
else:
    CONTENT_SECURITY_POLICY = _CSP

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT failed sign-ins for
# one e-mail address from one client address, that pair is refused for
# AXES_COOLOFF_MINUTES after its last attempt. Never a permanent lock: the
# person can still reset their password, and other addresses are unaffected.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "accounts.throttling.attempted_email"
AXES_LOCKOUT_CALLABLE = "accounts.throttling.lockout_response"
# One throttle with one message: allauth's own limit on failed sign-ins is
# switched off in favour of axes (its other limits stay).
ACCOUNT_RATE_LIMITS = {"login_failed": None}
# The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT reverse
# proxies that each append to X-Forwarded-For, the address the outermost of
# them was reached from (accounts.throttling.client_address).
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.client_address"

# Two-factor authentication (allauth.mfa), offered to the staff roles only
# (accounts.mfa_urls): an authenticator app, with recovery codes for a lost phone.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = PARTNERSHIP_NAME
MFA_ADAPTER = "accounts.adapter.MFAAdapter"
# The roles (group names) that see other people's personal data must use it:
# until they have set up an authenticator app they can do nothing else
# (accounts.mfa.TwoFactorRequiredMiddleware). Superusers must as well.
MFA_REQUIRED_ROLES = env_list("MFA_REQUIRED_ROLES", "Training administrator,Finance,PPT reviewer")
LANGUAGES = [("en-gb", _("English"))]

# Booking rules (issue: bookings). Working days are Monday to Friday.
BOOKING_CANCELLATION_CUTOFF_WORKING_DAYS = int(env("BOOKING_CANCELLATION_CUTOFF_WORKING_DAYS", "2"))
WAITLIST_OFFER_HOURS = int(env("WAITLIST_OFFER_HOURS", "24"))
DNA_POLICY_THRESHOLD = int(env("DNA_POLICY_THRESHOLD", "2"))
DNA_COPY_LINE_MANAGER = env_bool("DNA_COPY_LINE_MANAGER", True)
UNDERSUBSCRIPTION_WINDOW_DAYS = int(env("UNDERSUBSCRIPTION_WINDOW_DAYS", "14"))

# Charging (payments app). Stripe keys come from the environment; with none,
# `make run` and the tests start localstripe (a fake Stripe) on this port.
LOCALSTRIPE_PORT = int(env("LOCALSTRIPE_PORT", "8420"))
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", "sk_test_localstripe")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", "pk_test_localstripe")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", "whsec_localstripe")
STRIPE_API_BASE = env(
    "STRIPE_API_BASE", "" if env("STRIPE_SECRET_KEY") else f"http://127.0.0.1:{LOCALSTRIPE_PORT}"
)
# Stripe.js for the payment page: localstripe serves a stand-in for it when the
# API is the fake (and static/js/localstripe-shim.js is loaded after it).
STRIPE_JS_URL = env(
    "STRIPE_JS_URL", f"{STRIPE_API_BASE}/js.stripe.com/v3/" if STRIPE_API_BASE else "https://js.stripe.com/v3/"
)
# Production refuses to start with Stripe's test values: test keys take no
# money, and anyone can sign a webhook event with the public localstripe
# secret. A production-like install that pays against localstripe or Stripe's
# test mode (the smoke test, a staging site) says so: STRIPE_TEST_MODE_ALLOWED=true.
STRIPE_TEST_MODE_ALLOWED = env_bool("STRIPE_TEST_MODE_ALLOWED", False)
if not DEBUG and not STRIPE_TEST_MODE_ALLOWED:
    _stripe_test_values = [
        name
        for name, is_test in (
            ("STRIPE_SECRET_KEY", not STRIPE_SECRET_KEY.startswith(("sk_live_", "rk_live_"))),
            ("STRIPE_PUBLISHABLE_KEY", not STRIPE_PUBLISHABLE_KEY.startswith("pk_live_")),
            ("STRIPE_WEBHOOK_SECRET", STRIPE_WEBHOOK_SECRET in {"", "whsec_localstripe"}),
        )
        if is_test
    ]
    if _stripe_test_values:
        raise ImproperlyConfigured(
            f"{', '.join(_stripe_test_values)}: Stripe's test values while DEBUG is off. Set the live keys and the "
            "webhook's signing secret, or STRIPE_TEST_MODE_ALLOWED=true for a production-like test install."
        )
CARD_HOLD_MINUTES = int(env("CARD_HOLD_MINUTES", "30"))
# The charging band (its slug) of a person whose organisation is not decided yet
# when the sector they asked for has no band of its own. Empty: the band most
# sectors' non-contributing agencies pay by. Never free by default: "organisation
# not listed" must not be a way to book without paying.
UNDECIDED_ORGANISATION_BAND = env("UNDECIDED_ORGANISATION_BAND", "")
INVOICE_PAYMENT_TERMS_DAYS = int(env("INVOICE_PAYMENT_TERMS_DAYS", "30"))
PARTNERSHIP_ADDRESS = env("PARTNERSHIP_ADDRESS", "Riverside Civic Centre\n1 Civic Way\nRiverside RV1 1AA")

# Evaluations (evaluations app). The pre-course questionnaire is open until the
# session starts; the others for a number of days after they are sent.
EVALUATION_POST_COURSE_OPEN_DAYS = int(env("EVALUATION_POST_COURSE_OPEN_DAYS", "28"))
EVALUATION_FOLLOW_UP_WEEKS = int(env("EVALUATION_FOLLOW_UP_WEEKS", "8"))
EVALUATION_FOLLOW_UP_OPEN_DAYS = int(env("EVALUATION_FOLLOW_UP_OPEN_DAYS", "28"))
EVALUATION_LINE_MANAGER_OPEN_DAYS = int(env("EVALUATION_LINE_MANAGER_OPEN_DAYS", "28"))
# Reminders to those who have not answered: at most this many, this many days apart.
EVALUATION_REMINDER_LIMIT = int(env("EVALUATION_REMINDER_LIMIT", "2"))

# UK GDPR. Equality monitoring counts below this are never published (see
# evaluations/statistics.py). The contacts are named on the privacy notice and
# the accessibility statement.
EQUALITY_SUPPRESS_BELOW = int(env("EQUALITY_SUPPRESS_BELOW", "5"))
DATA_PROTECTION_EMAIL = env("DATA_PROTECTION_EMAIL", "dataprotection@partnership.example.org")
ACCESSIBILITY_CONTACT_EMAIL = env("ACCESSIBILITY_CONTACT_EMAIL", "training@partnership.example.org")
EVALUATION_REMINDER_INTERVAL_DAYS = int(env("EVALUATION_REMINDER_INTERVAL_DAYS", "4"))

# E-learning (elearning app): the largest provider file and module picture
# accepted, and how many days before a module's renewal date its reminder goes.
ELEARNING_IMPORT_MAX_BYTES = int(env("ELEARNING_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
# The most rows one import file may have: a Celery task checks 200,000 in
# seconds and imports them in minutes; the upload pages state the limit.
ELEARNING_IMPORT_MAX_ROWS = int(env("ELEARNING_IMPORT_MAX_ROWS", "200000"))
ELEARNING_IMAGE_MAX_BYTES = int(env("ELEARNING_IMAGE_MAX_BYTES", str(2 * 1024 * 1024)))
ELEARNING_RENEWAL_REMINDER_DAYS = int(env("ELEARNING_RENEWAL_REMINDER_DAYS", "30"))
CELERY_BEAT_SCHEDULE["elearning-renewal-reminders"] = {
    "task": "elearning.tasks.renewal_reminders_send",
    "schedule": crontab(hour=8, minute=30),
}
# Import checks and imports whose task never reached a worker are queued again.
CELERY_BEAT_SCHEDULE["elearning-imports-requeue"] = {
    "task": "elearning.tasks.completion_imports_requeue",
    "schedule": 300,
}

# Reports (reports app): the largest history spreadsheet accepted for import,
# in bytes and in rows.
HISTORY_IMPORT_MAX_BYTES = int(env("HISTORY_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
HISTORY_IMPORT_MAX_ROWS = int(env("HISTORY_IMPORT_MAX_ROWS", "200000"))
CELERY_BEAT_SCHEDULE["history-imports-requeue"] = {"task": "reports.tasks.history_imports_requeue", "schedule": 300}
