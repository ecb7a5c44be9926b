"""Media that Django serves (DEBUG's `make run`; `make serve`, in
tests/deploy/test_serve_media.py) is sandboxed: even a file that is not an image, opened
directly, runs no script on the site's origin and is never sniffed."""

import pytest
from django.test import RequestFactory

from mindscape import media


@pytest.fixture
def served(settings, tmp_path):
    """``served(name, data)`` → the response the media URL patterns give for that file."""
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path

    def get(name: str, data: bytes):
        (tmp_path / name).write_bytes(data)
        (pattern,) = media.urlpatterns()
        match = pattern.resolve(f"media/{name}")
        assert match is not None
        request = RequestFactory().get(f"/media/{name}")
        response = match.func(request, *match.args, **match.kwargs)
        response.file_to_stream.close()  # what the server does once it has sent the file
        return response

    return get


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("poly.html", b"<html><script>alert(document.cookie)</script></html>"),
        ("poly.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("hero.jpg", b"\xff\xd8\xff\xe0 not really"),
    ],
)
def test_served_media_is_sandboxed_and_never_sniffed(served, name, data):
    response = served(name, data)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_site_serves_media_through_the_sandboxing_view(settings):
    settings.DEBUG = True
    (pattern,) = media.urlpatterns()
    assert pattern.callback is media.serve
    settings.DEBUG = False
    assert media.urlpatterns() == []  # production: the proxy or bucket serves /media/


def test_make_serve_mounts_media_without_debug_but_never_a_buckets_address(settings):
    settings.DEBUG = False
    settings.SERVE_MEDIA = True  # what mindscape/ops/serve.py asks for
    (pattern,) = media.urlpatterns()
    assert pattern.callback is media.serve
    assert pattern.resolve("media/articles/a.jpg").kwargs["path"] == "articles/a.jpg"
    assert pattern.resolve("static/a.css") is None
    settings.MEDIA_URL = "https://www.mindscape.example/media/"  # a bucket behind the proxy
    assert media.urlpatterns() == []
