"""Settings for the partnership training site.

Every value comes from the environment. With nothing set, the site runs for
development on SQLite with Celery tasks executed in-process, so a fresh machine
needs no servers. Production must set SECRET_KEY (there is no default when
DEBUG is off).
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
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
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
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
# reveal nothing.
ACCOUNT_PREVENT_ENUMERATION = False
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm"}
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
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_STORAGE",
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
MEDIA_ROOT = Path(env("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

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

# Celery: with no broker configured, tasks run in-process (eagerly), so the
# embedded default needs no Redis. Production sets CELERY_BROKER_URL or REDIS_URL.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", env("REDIS_URL", ""))
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TIMEZONE = TIME_ZONE
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The embedded broker `make run` uses: messages are files in one folder, so
    # the demo's worker and scheduler run with no Redis.
    _broker_folder = Path(env("CELERY_FILESYSTEM_FOLDER", BASE_DIR / ".celery" / "broker"))
    _broker_folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
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
    "email-outbox-sweep": {"task": "core.tasks.email_outbox_sweep", "schedule": 300},
    "payment-holds-expire": {"task": "bookings.tasks.booking_payment_holds_expire", "schedule": 120},
    "evaluation-requests-open": {"task": "evaluations.tasks.evaluation_requests_open", "schedule": 3600},
    "evaluation-reminders-send": {
        "task": "evaluations.tasks.evaluation_reminders_send",
        "schedule": crontab(hour=10, minute=0),
    },
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
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
CARD_HOLD_MINUTES = int(env("CARD_HOLD_MINUTES", "30"))
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
EVALUATION_REMINDER_INTERVAL_DAYS = int(env("EVALUATION_REMINDER_INTERVAL_DAYS", "4"))

# E-learning (elearning app): the largest provider file and module picture
# accepted, and how many days before a module's renewal date its reminder goes.
ELEARNING_IMPORT_MAX_BYTES = int(env("ELEARNING_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
ELEARNING_IMAGE_MAX_BYTES = int(env("ELEARNING_IMAGE_MAX_BYTES", str(2 * 1024 * 1024)))
ELEARNING_RENEWAL_REMINDER_DAYS = int(env("ELEARNING_RENEWAL_REMINDER_DAYS", "30"))
CELERY_BEAT_SCHEDULE["elearning-renewal-reminders"] = {
    "task": "elearning.tasks.renewal_reminders_send",
    "schedule": crontab(hour=8, minute=30),
}

# Reports (reports app): the largest history spreadsheet accepted for import.
HISTORY_IMPORT_MAX_BYTES = int(env("HISTORY_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
