"""With REDIS_URL and a bucket, nothing a server keeps is its own: cache, sessions, media."""

import json
import textwrap

from tests.builders.mindscape import run_prod

SHOW = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "from django.core.files.storage import storages; d = storages['default']; "
    "print(json.dumps({'cache': s.CACHES['default']['BACKEND'], 'session': s.SESSION_ENGINE, "
    "'pages': [s.CACHES['pages'][k] for k in ('BACKEND', 'LOCATION')], "
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
    assert found["pages"] == ["mindscape.dbcache.DatabaseCache", "mindscape_page_cache"]
    assert found["session"] == "django.contrib.sessions.backends.db"
    assert found["storage"] == "django.core.files.storage.filesystem.FileSystemStorage"


def test_with_redis_the_cache_is_redis_and_sessions_survive_a_redis_restart():
    found = shown(REDIS_URL="redis://127.0.0.1:6390/0")
    assert found["cache"] == "mindscape.rediscache.RedisCache"  # Django's, failing soft
    assert found["pages"] == ["mindscape.rediscache.RedisCache", "redis://127.0.0.1:6390/0"]
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


# An upload and its reading back through the configured storage, against moto's stand-in
# for S3 in the same process (nothing leaves the machine).
ROUND_TRIP = textwrap.dedent(
    """
    import json
    import boto3, django
    from moto import mock_aws

    with mock_aws():
        django.setup()
        from django.core.files.base import ContentFile
        from django.core.files.storage import storages

        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="mindscape-media")
        storage = storages["default"]
        first = storage.save("articles/hero.jpg", ContentFile(b"first image"))
        second = storage.save("articles/hero.jpg", ContentFile(b"second image"))
        with storage.open(first) as stored:
            body = stored.read().decode()
        head = s3.head_object(Bucket="mindscape-media", Key=first)
        grants = s3.get_object_acl(Bucket="mindscape-media", Key=first)["Grants"]
        storage.delete(second)
        print(json.dumps({
            "names": [first, second],
            "body": body,
            "url": storage.url(first),
            "cache_control": head.get("CacheControl"),
            "grantees": [g["Grantee"].get("URI", g["Grantee"]["Type"]) for g in grants],
            "keys": [o["Key"] for o in s3.list_objects_v2(Bucket="mindscape-media")["Contents"]],
        }))
    """
)


def test_an_upload_goes_to_the_bucket_and_comes_back(tmp_path):
    result = run_prod(
        ROUND_TRIP,
        AWS_STORAGE_BUCKET_NAME="mindscape-media",
        MEDIA_CUSTOM_DOMAIN="www.mindscape.example/media",
        AWS_S3_REGION_NAME="us-east-1",
        AWS_S3_ENDPOINT_URL=None,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",  # moto accepts any
        AWS_SESSION_TOKEN=None,
        AWS_PROFILE=None,
        AWS_CONFIG_FILE=str(tmp_path / "none"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"),
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    first, second = found["names"]
    assert first == "articles/hero.jpg" and second != first  # never overwritten
    assert found["body"] == "first image"
    assert found["url"] == "https://www.mindscape.example/media/articles/hero.jpg"
    assert found["cache_control"] == "public, max-age=86400"
    assert found["grantees"] == ["CanonicalUser"]  # the owner alone: private in the bucket
    assert found["keys"] == [first]  # deleted means gone
