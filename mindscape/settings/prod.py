"""Production: refuses to start without its secrets and hosts, HTTPS everywhere."""

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import LOGGING, database, env, log_format

REQUIRED = (
    "SECRET_KEY",
    "DATABASE_URL",
    "ALLOWED_HOSTS",
    "INTAKE_ENCRYPTION_KEYS",
    "INTAKE_LOOKUP_KEY",
)
_missing = [name for name in REQUIRED if not env.str(name, default="").strip()]
if _missing:
    raise ImproperlyConfigured(
        "Production settings need these environment variables: " + ", ".join(_missing)
    )

DEBUG = False

# Staff always sign in with a second factor here (staff.checks refuses it off, too).
if not env.bool("STAFF_REQUIRE_2FA", default=True):
    raise ImproperlyConfigured("STAFF_REQUIRE_2FA cannot be turned off in production.")
STAFF_REQUIRE_2FA = True

# Screenings cannot be stored or read without valid keys: fail at start-up, not at the
# first patient.  Checked with cryptography itself (the settings import no app), the way
# intake.crypto will use them: every key must make a Fernet.
_screening_keys = env.list("INTAKE_ENCRYPTION_KEYS")
if not _screening_keys:
    raise ImproperlyConfigured("INTAKE_ENCRYPTION_KEYS is empty: screenings cannot be stored.")
for _key in _screening_keys:
    try:
        Fernet(_key)
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(
            "INTAKE_ENCRYPTION_KEYS must be Fernet keys (Fernet.generate_key())."
        ) from error
if len(env.str("INTAKE_LOOKUP_KEY")) < 32:
    raise ImproperlyConfigured("INTAKE_LOOKUP_KEY must be at least 32 characters.")
SECRET_KEY = env.str("SECRET_KEY")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long.")
# Previous keys, still accepted while a new SECRET_KEY beds in: patients' manage links in
# emails already sent, and staff sessions, keep working (docs/operations.md, "Key rotation").
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
DATABASES = {"default": database(private_fallback=False)}
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# One JSON object a line for the log collector (LOG_FORMAT=text for a terminal).
LOG_FORMAT = log_format("json")
LOGGING["handlers"]["console"]["formatter"] = LOG_FORMAT

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=63072000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = 20  # a stuck server must not hold a worker forever; the send is retried
