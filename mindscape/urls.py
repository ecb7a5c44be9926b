"""Root URLs: the apps, the admin, search-engine files, and the static pages (last: they
match any slug)."""

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from blog.feeds import LatestArticles, LatestArticlesAtom
from blog.sitemaps import ArticleSitemap, CategorySitemap

from . import health, media, views
from .pagecache import public_page
from .sitemaps import HomeSitemap, PageSitemap

SITEMAPS = {
    "home": HomeSitemap,
    "articles": ArticleSitemap,
    "categories": CategorySitemap,
    "pages": PageSitemap,
}

urlpatterns = [
    path("", views.home, name="home"),
    # Probes for the load balancer (mindscape/health.py): no slash, never cached.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path(settings.ADMIN_URL, admin.site.urls),  # staff.site.StaffAdminSite
    path("robots.txt", views.robots_txt, name="robots"),
    path("crisis/", views.crisis_page, name="crisis"),
    path(
        "sitemap.xml",
        public_page(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("blog/feed/rss/", public_page(LatestArticles()), name="feed-rss"),
    path("blog/feed/atom/", public_page(LatestArticlesAtom()), name="feed-atom"),
    path("", include("blog.urls")),
    path("consultation/", include("booking.urls")),
    path("intake/", include("intake.urls")),
    # Uploaded images under `make run` and `make serve`, sandboxed; nothing in production,
    # where the web server or object storage serves MEDIA_URL (same headers: docs/operations.md).
    *media.urlpatterns(),
    path("<slug:slug>/", views.page_detail, name="page"),
]
if settings.BENCH_BASELINE_VIEW:  # make bench only: a trivial view to compare pages with
    urlpatterns.insert(0, path("bench/baseline", views.bench_baseline, name="bench-baseline"))

handler400 = "mindscape.views.bad_request"
handler403 = "mindscape.views.permission_denied"
handler404 = "mindscape.views.page_not_found"
handler500 = "mindscape.views.server_error"
