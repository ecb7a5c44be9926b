"""Settings of the application servers the multi-server tests start: production's own, with
plain static storage (a test has no collectstatic manifest; static files are not measured)."""

from mindscape.settings.prod import *  # noqa: F403
from mindscape.settings.prod import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# No collected folder either: WhiteNoise serves from the finders (and warns about nothing).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
