"""Tests: real PostgreSQL (the private server unless DATABASE_URL is set), fast hashing,
mail kept in memory, plain static storage (no collectstatic needed)."""

from .base import *  # noqa: F403
from .base import BASE_DIR, STORAGES, database, env

DEBUG = False
SECRET_KEY = "test-only-key-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

DATABASES = {"default": database(private_fallback=True)}
# Two test runs at once (two checkouts, or a helper's run beside yours) need two names.
DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default="test_mindscape")}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}
# No minimum fill time: tests post at once (tests of the check turn it on with `settings`).
ANTISPAM_MIN_FILL_SECONDS = 0
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# Uploads made by tests (demo hero images) stay out of the development media folder.
MEDIA_ROOT = BASE_DIR / ".local" / "test-media"

# Fixed, test-only keys (two, to exercise MultiFernet; the first encrypts).
INTAKE_ENCRYPTION_KEYS = [
    "_BMmYHP8DDErhjPktiBhiR5iA5YccyeHqa4yeG63gfE=",
    "PYoHmZYWqvPJ09Zicz9kGSHunnk_6wvYX0FX8EcNIlw=",
]
INTAKE_LOOKUP_KEY = "test-only-lookup-key-0123456789-abcdef"  # noqa: S105
INTAKE_FORM_ENABLED = True
# Tests sign staff in with both factors, as production does (tests/signin.py).
STAFF_REQUIRE_2FA = True
# Many tests travel days ahead with staff signed in: the idle timeout and the session limit
# are those of production only in tests/staff/test_sessions.py, which sets them itself.
STAFF_IDLE_TIMEOUT_SECONDS = 60 * 24 * 3600
STAFF_SESSION_MAX_SECONDS = 60 * 24 * 3600
