"""Root URLs: probes, the admin, then each app by dotted string; the clinic's pages come
last (their static pages match any slug)."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import health, media, views

urlpatterns = [
    # Probes for the load balancer (mindscape/health.py): no slash, never cached.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path(settings.ADMIN_URL, admin.site.urls),  # staff.site.StaffAdminSite
    # /sitemap.xml and the feeds (historical names, no namespace), then the blog itself.
    path("", include("blog.site_urls")),
    path("", include("blog.urls")),
    path("consultation/", include("booking.urls")),
    path("intake/", include("intake.urls")),
    # Uploaded images under `make run` and `make serve`, sandboxed; nothing in production,
    # where the web server or object storage serves MEDIA_URL (same headers: docs/operations.md).
    *media.urlpatterns(),
    # Home, robots.txt, /crisis/ and the static pages (/<slug>/, last).
    path("", include("clinic.urls")),
]
if settings.BENCH_BASELINE_VIEW:  # make bench only: a trivial view to compare pages with
    urlpatterns.insert(0, path("bench/baseline", views.bench_baseline, name="bench-baseline"))

handler400 = "clinic.views.bad_request"
handler403 = "clinic.views.permission_denied"
handler404 = "clinic.views.page_not_found"
handler500 = "clinic.views.server_error"
