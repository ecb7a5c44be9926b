"""Security headers, CSP and caching on every kind of response."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

PUBLIC_URLS = ["/", "/about/", "/blog/", "/search/?q=ketamine", "/consultation/", "/no-such-page/"]


@pytest.fixture
def pages(db):
    from clinic.seed import seed_pages

    seed_pages()


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_security_headers_on_every_page(client, pages, url):
    response = client.get(url)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert "microphone=()" in response["Permissions-Policy"]


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_strict_content_security_policy(client, pages, url):
    csp = client.get(url)["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_no_inline_script_and_nothing_from_other_sites(client, pages, url):
    html = client.get(url).content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/ld+json"' in tag, tag
    # Stylesheets, scripts, icons and images only ever come from this site.
    for value in re.findall(r'<(?:script|img)\b[^>]*\bsrc="([^"]+)"', html):
        assert value.startswith("/static/") or value.startswith("/media/"), value
    for value in re.findall(r'<link\b[^>]*\bhref="([^"]+)"', html):
        assert value.startswith(("/", "http://testserver/")), value  # canonical links: absolute


def test_no_event_handler_attributes_anywhere(client, pages):
    for url in PUBLIC_URLS:
        html = client.get(url).content.decode()
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), url
        assert not re.search(r"<[^>]+\sstyle\s*=", html), url  # CSP would block it


@override_settings(SECURE_HSTS_SECONDS=63072000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True)
def test_hsts_on_https(client, pages):
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=63072000")


@pytest.mark.parametrize("url", ["/search/?q=x", "/consultation/", "/no-such-page/"])
def test_responses_are_no_store_unless_a_view_allows_caching(client, pages, url):
    assert "no-store" in client.get(url)["Cache-Control"]


@pytest.mark.parametrize("url", ["/", "/about/"])
def test_public_content_may_be_cached_briefly(client, pages, url):
    cache_control = client.get(url)["Cache-Control"]
    assert "public" in cache_control and "no-store" not in cache_control


def test_admin_login_is_no_store_and_framed_nowhere(client, db):
    response = client.get(reverse("admin:login"))
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert response["X-Frame-Options"] == "DENY"
