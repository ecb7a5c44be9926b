"""With REDIS_URL and a bucket, nothing a server keeps is its own: cache, sessions, media."""

import json

from tests.mindscape.test_settings import run_prod

SHOW = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "from django.core.files.storage import storages; d = storages['default']; "
    "print(json.dumps({'cache': s.CACHES['default']['BACKEND'], 'session': s.SESSION_ENGINE, "
    "'storage': type(d).__module__ + '.' + type(d).__name__, 'media': s.MEDIA_URL, "
    "'img': s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'], 'url': d.url('articles/a.jpg'), "
    "'options': {k: v for k, v in s.STORAGES['default'].get('OPTIONS', {}).items()}}))"
)


def shown(**env):
    result = run_prod(SHOW, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_redis_cache_and_sessions_are_database_tables():
    found = shown(REDIS_URL=None, AWS_STORAGE_BUCKET_NAME=None)
    assert found["cache"] == "mindscape.dbcache.DatabaseCache"
    assert found["session"] == "django.contrib.sessions.backends.db"
    assert found["storage"] == "django.core.files.storage.filesystem.FileSystemStorage"


def test_with_redis_the_cache_is_redis_and_sessions_survive_a_redis_restart():
    found = shown(REDIS_URL="redis://127.0.0.1:6390/0")
    assert found["cache"] == "django.core.cache.backends.redis.RedisCache"
    # cached_db: read from Redis, always written to the database as well.
    assert found["session"] == "django.contrib.sessions.backends.cached_db"


def test_a_bucket_takes_uploads_privately_served_from_the_clinics_own_address():
    found = shown(
        AWS_STORAGE_BUCKET_NAME="mindscape-media",
        MEDIA_CUSTOM_DOMAIN="www.mindscape.example/media",
        AWS_S3_REGION_NAME="us-east-1",
    )
    assert found["storage"] == "storages.backends.s3.S3Storage"
    assert found["options"]["default_acl"] == "private"
    assert found["options"]["querystring_auth"] is False
    assert found["options"]["file_overwrite"] is False
    assert found["media"] == "https://www.mindscape.example/media/"
    assert found["url"] == "https://www.mindscape.example/media/articles/a.jpg"  # unsigned
    assert "https://www.mindscape.example" in found["img"]


def test_a_bucket_without_the_clinics_own_media_address_is_refused():
    result = run_prod(SHOW, AWS_STORAGE_BUCKET_NAME="mindscape-media", MEDIA_CUSTOM_DOMAIN=None)
    assert result.returncode != 0
    assert "MEDIA_CUSTOM_DOMAIN" in result.stderr
