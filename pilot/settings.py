"""Settings for Pilot Program Manager, read from the environment (see README, "Settings")."""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-not-for-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "import_export",
    "simple_history",
    "axes",
    "csp",
    "pilot",
    "mentoring",
    "coursework",
    "observations",
    "pathways",
]
# Development tools: the demo seeder (seed_demo) and the benchmark (bench). Not part of
# production code: on with DEBUG (make run) and in tests, else only with DEV_TOOLS=true.
DEV_TOOLS = env_bool("DEV_TOOLS", DEBUG)
if DEV_TOOLS:
    INSTALLED_APPS += ["demo", "bench"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the rest, so error pages raised by the middleware below get these headers too.
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Before anything reads request.POST: the few views marked @many_fields (the year
    # rollover) read a form with more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS.
    "pilot.middleware.ManyFieldsMiddleware",
    # Before sessions and everything else that might send a NUL on to PostgreSQL.
    "pilot.middleware.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "pilot.sessions.SessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "pilot.middleware.NoStoreForSignedInMiddleware",
    # Axes last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "pilot.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # Counts and minutes are shown with |intcomma on every page (4,985, not 4985).
            # ... and every create/edit form's Cancel link is {% cancel_link default %}.
            "builtins": [
                "django.contrib.humanize.templatetags.humanize",
                "pilot.templatetags.pilot_forms",
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

AUTH_USER_MODEL = "pilot.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "pilot:dashboard"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 7  # invitations use the reset link: a week to accept
# Reset emails sent per address and per client address in an hour (counted in the cache);
# past them the page answers as usual and sends nothing (pilot/views/accounts.py).
PASSWORD_RESET_EMAILS_PER_ADDRESS = 3
PASSWORD_RESET_EMAILS_PER_CLIENT = 10
PASSWORD_RESET_LIMIT_WINDOW = 60 * 60  # seconds

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "America/Chicago")
USE_I18N = True
USE_TZ = True
# The site's date formats (one for dates, one for times of day): pilot/formats/en/formats.py.
FORMAT_MODULE_PATH = ["pilot.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_MANIFEST_STRICT = False

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds the password-reset counts and the report figures (pilot.figures_cache).
# Redis when REDIS_URL is set (shared by every server process); otherwise memory, per
# process (``make run`` needs nothing), or CACHE_BACKEND=database after
# `manage.py createcachetable`.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
elif os.environ.get("CACHE_BACKEND", "memory") == "database":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "pilot_cache",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Mail: the console in development; SMTP settings from the environment in production.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Pilot Program <pilot@localhost>")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# The program's name as funders know it: on the end-of-pilot report's title page and pages.
PROGRAM_NAME = os.environ.get(
    "PROGRAM_NAME", "Paraprofessional Blended-Learning and Mentoring Pilot"
)

# ---- Background work (README "Queue and schedule") ------------------------------------
# Mail is written to an outbox in the write's transaction and sent after commit: by a Celery
# worker through Redis when REDIS_URL is set, else in-process right after the commit (make run).
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True  # acknowledged after the task ran: a killed worker's task reruns
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# How long Redis waits for an unacknowledged task before handing it to another worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("TASK_VISIBILITY_TIMEOUT", "300"))
}
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
MAIL_RETRY_DELAY = float(os.environ.get("MAIL_RETRY_DELAY", "10"))  # doubled per attempt
MAIL_MAX_RETRIES = int(os.environ.get("MAIL_MAX_RETRIES", "8"))
# Beat re-queues mail still pending this long after its last attempt (broker was down...).
MAIL_RESEND_AFTER = int(os.environ.get("MAIL_RESEND_AFTER", "900"))
# A confirmed import of more rows than this is written by a task, with a progress page.
IMPORT_BACKGROUND_ROWS = int(os.environ.get("IMPORT_BACKGROUND_ROWS", "300"))
# A year rollover carrying more pairings than this is written by a task, with a progress page.
ROLLOVER_BACKGROUND_PAIRINGS = int(os.environ.get("ROLLOVER_BACKGROUND_PAIRINGS", "300"))
REMINDER_TIME = os.environ.get("REMINDER_TIME", "07:00")  # local time (TIME_ZONE), HH:MM
try:
    _reminder_hour, _reminder_minute = (int(part) for part in REMINDER_TIME.split(":"))
except ValueError as error:
    raise ImproperlyConfigured("REMINDER_TIME must be HH:MM, e.g. 07:00.") from error
# Beat (exactly one per site) puts these on the queue; crontab reads CELERY_TIMEZONE.
CELERY_BEAT_SCHEDULE = {
    "observation-reminders": {
        "task": "observations.send_reminders",
        "schedule": crontab(hour=_reminder_hour, minute=_reminder_minute),
    },
    "resend-pending-mail": {"task": "pilot.resend_pending_mail", "schedule": 60.0},
}

# Sessions: at most 12 hours, cookie-only over HTTPS in production.
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Security headers; HTTPS settings are on whenever DEBUG is off.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Login throttling: 5 failures per account or per address within 15 minutes lock that
# account or address for 15 minutes (a coordinator can unlock at /lockouts/).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "pilot.security.axes_username"
AXES_CLIENT_IP_CALLABLE = "pilot.security.client_ip"
# A success must not wipe the failures counted against other accounts from the same address,
# and retrying during a lockout must not stretch it past 15 minutes.
AXES_RESET_ON_SUCCESS = False
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Behind reverse proxies, how many of them append to X-Forwarded-For (0: use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint logs every rendering step at INFO: keep its warnings only.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Sign-in: single sign-on and a second factor (django-allauth; README, "Settings") ---
# allauth supplies the providers' protocol (socialaccount) and the second factor (mfa);
# /accounts/login/ stays Django's password page (with axes) and hands over to allauth
# only for the code step (pilot/auth/).
INSTALLED_APPS += [
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.microsoft",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
]
MIDDLEWARE.insert(
    MIDDLEWARE.index("pilot.sessions.SessionLifetimeMiddleware") + 1,
    "pilot.auth.middleware.SecondFactorRequiredMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
    "allauth.account.middleware.AccountMiddleware",
)
AUTHENTICATION_BACKENDS += ["allauth.account.auth_backends.AuthenticationBackend"]
ACCOUNT_ADAPTER = "pilot.auth.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "pilot.auth.adapters.SingleSignOnAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # the adapter alone decides who is linked
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False  # starting a sign-in is a POST (CSRF)
# Passkeys (WebAuthn, through the fido2 package) stand in for the code where the browser
# offers them; they are a second factor only (no passwordless sign-in).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
# WebAuthn needs https, or http on "localhost": make run's http://127.0.0.1 is let through
# with DEBUG only (the passkey is still bound to the host it was made on).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
MFA_TOTP_ISSUER = "Pilot Program"
MFA_TOTP_TOLERANCE = 0  # a code from the previous 30 seconds is refused
# The set-up pages follow a fresh sign-in (or the forced set-up); allauth's password re-prompt
# would bypass the axes counting of the sign-in page.
MFA_REAUTHENTICATION_REQUIRED = False
MFA_FORMS = {
    "authenticate": "pilot.auth.forms.ThrottledAuthenticateForm",
    "authenticate_webauthn": "pilot.auth.forms.ThrottledAuthenticateWebAuthnForm",
    "add_webauthn": "pilot.auth.forms.CheckedAddWebAuthnForm",
}
# Coordinators and liaisons who sign in with a password must have a second factor.
MFA_REQUIRED = env_bool("MFA_REQUIRED", not DEBUG)
MICROSOFT_TENANT = os.environ.get("MICROSOFT_TENANT", "organizations")
SOCIALACCOUNT_PROVIDERS: dict[str, dict] = {}
if os.environ.get("GOOGLE_CLIENT_ID"):
    SOCIALACCOUNT_PROVIDERS["google"] = {
        "APPS": [
            {
                "client_id": os.environ["GOOGLE_CLIENT_ID"],
                "secret": os.environ.get("GOOGLE_CLIENT_SECRET", ""),
            }
        ],
        "SCOPE": ["openid", "email", "profile"],
        "OAUTH_PKCE_ENABLED": True,
    }
if os.environ.get("MICROSOFT_CLIENT_ID"):
    SOCIALACCOUNT_PROVIDERS["microsoft"] = {
        "APPS": [
            {
                "client_id": os.environ["MICROSOFT_CLIENT_ID"],
                "secret": os.environ.get("MICROSOFT_CLIENT_SECRET", ""),
                "settings": {"tenant": MICROSOFT_TENANT},
            }
        ],
        "OAUTH_PKCE_ENABLED": True,
    }
if os.environ.get("OIDC_ISSUER") and os.environ.get("OIDC_CLIENT_ID"):
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "APPS": [
            {
                "provider_id": "district",
                "name": os.environ.get("OIDC_NAME", "your district's sign-in"),
                "client_id": os.environ["OIDC_CLIENT_ID"],
                "secret": os.environ.get("OIDC_CLIENT_SECRET", ""),
                "settings": {"server_url": os.environ["OIDC_ISSUER"]},
            }
        ],
        "OAUTH_PKCE_ENABLED": True,
    }
