"""The blog's root-level addresses, kept under their historical names (no namespace):
/sitemap.xml (every app's sections) and the article feeds."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from clinic.sitemaps import HomeSitemap, PageSitemap
from mindscape.pagecache import public_page

from .feeds import LatestArticles, LatestArticlesAtom
from .sitemaps import ArticleSitemap, CategorySitemap

SITEMAPS = {
    "home": HomeSitemap,
    "articles": ArticleSitemap,
    "categories": CategorySitemap,
    "pages": PageSitemap,
}

urlpatterns = [
    path(
        "sitemap.xml",
        public_page(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("blog/feed/rss/", public_page(LatestArticles()), name="feed-rss"),
    path("blog/feed/atom/", public_page(LatestArticlesAtom()), name="feed-atom"),
]
