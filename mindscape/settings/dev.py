"""Development: runs with no configuration at all, on the private PostgreSQL."""

from .base import *  # noqa: F403
from .base import database, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-never-used-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
INTERNAL_IPS = ["127.0.0.1"]

DATABASES = {"default": database(private_fallback=True)}

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Screenings are encrypted in development too, with keys kept in the ignored .local/ folder
# (made on first use) so demo data survives restarts.  Never used in production.
if not INTAKE_ENCRYPTION_KEYS:  # noqa: F405
    from mindscape.ops.devdb import dev_secret

    INTAKE_ENCRYPTION_KEYS = [dev_secret("intake-encryption.key", kind="fernet")]
    INTAKE_LOOKUP_KEY = INTAKE_LOOKUP_KEY or dev_secret("intake-lookup.key")  # noqa: F405

# The screening form is on in development (make run) so it can be tried end to end; in
# production it stays off until the medical director has signed off its wording.
INTAKE_FORM_ENABLED = env.bool("INTAKE_FORM_ENABLED", default=True)
