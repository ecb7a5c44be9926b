"""``make serve`` stands in for the proxy: gunicorn serves ``/media/`` itself, sandboxed, so
an article's hero image is no broken image there.  Production's gunicorn (no proxy's part to
play) still serves nothing under ``/media/``.  Real processes: ``python -m mindscape.ops.serve``
becoming gunicorn, and plain gunicorn with the production settings."""

import http.client
import os
import subprocess
import sys

import pytest
from django.db import connection

from blog.images import generate_demo_image
from mindscape import media
from tests.deploy.servers import ROOT, AppServer, database_url, free_port, wait_for

SANDBOX = "sandbox; default-src 'none'"


def get(port: int, path: str) -> tuple[int, dict[str, str], bytes]:
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        client.request("GET", path, headers={"Host": "127.0.0.1"})
        response = client.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        client.close()


@pytest.fixture
def media_root(tmp_path):
    root = tmp_path / "media"
    (root / "articles").mkdir(parents=True)
    image = generate_demo_image("serve-media", ("#285a78", "#c8dcd2"))
    (root / "articles" / "hero.jpg").write_bytes(image)
    (root / "poly.html").write_bytes(b"<html><script>alert(document.cookie)</script></html>")
    (tmp_path / "secret.txt").write_text("outside the media folder")
    return root


@pytest.mark.django_db(transaction=True)
def test_make_serve_serves_media_sandboxed(tmp_path, media_root):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO")}
    for name in ("SECRET_KEY", "INTAKE_ENCRYPTION_KEYS", "INTAKE_LOOKUP_KEY"):
        env.pop(name, None)
    env.update(
        DATABASE_URL=database_url(connection.settings_dict),
        STATIC_ROOT=str(tmp_path / "static"),
        MINDSCAPE_SECRETS_DIR=str(tmp_path / "secrets"),
        MEDIA_ROOT=str(media_root),
        LOG_LEVEL="WARNING",
    )
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "mindscape.ops.serve", "--port", str(port), "--workers", "1"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(lambda: get(port, "/healthz")[0] == 200, "make serve", process, log, 180)

        status, headers, body = get(port, "/media/articles/hero.jpg")
        assert status == 200
        assert body == (media_root / "articles" / "hero.jpg").read_bytes()
        assert headers["Content-Type"] == "image/jpeg"
        assert headers["Content-Security-Policy"] == SANDBOX
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Cache-Control"] == media.CACHE_CONTROL

        # Not an image: still served inert (the upload rules keep such files out).
        status, headers, _ = get(port, "/media/poly.html")
        assert status == 200
        assert headers["Content-Security-Policy"] == SANDBOX
        assert headers["X-Content-Type-Options"] == "nosniff"

        assert get(port, "/media/articles/missing.jpg")[0] == 404
        assert get(port, "/media/")[0] == 404  # never a folder listing
        assert get(port, "/media/articles/")[0] == 404
        for escape in ("/media/../secret.txt", "/media/%2e%2e/secret.txt"):
            status, _, body = get(port, escape)
            assert status in (400, 404), escape  # gunicorn or Django refuses it
            assert b"outside the media folder" not in body
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.mark.django_db(transaction=True)
def test_production_gunicorn_leaves_media_to_the_proxy(tmp_path, media_root, settings):
    server = AppServer(
        "production",
        tmp_path,
        {
            "SECRET_KEY": settings.SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": database_url(connection.settings_dict),
            "SECURE_SSL_REDIRECT": "false",
            "INTAKE_ENCRYPTION_KEYS": ",".join(settings.INTAKE_ENCRYPTION_KEYS),
            "INTAKE_LOOKUP_KEY": settings.INTAKE_LOOKUP_KEY,
            "MEDIA_ROOT": str(media_root),
            "LOG_LEVEL": "WARNING",
        },
    )
    try:
        assert get(server.port, "/media/articles/hero.jpg")[0] == 404
    finally:
        server.stop()
