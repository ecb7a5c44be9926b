"""Sitemap sections for articles and categories (home and pages: clinic.sitemaps)."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max

from .models import Article, Category


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Article.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class CategorySitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        published = Article.objects.published().values("pk")
        return (
            Category.objects.filter(articles__in=published)
            .annotate(newest=Max("articles__updated_at"))
            .order_by("position", "pk")
        )

    def lastmod(self, item):
        return max(item.newest, item.updated_at)
