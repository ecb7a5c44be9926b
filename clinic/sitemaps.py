"""Sitemap sections for the home page and static pages."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Page


class HomeSitemap(Sitemap):
    priority = 1.0
    changefreq = "weekly"

    def items(self):
        return ["home", "blog:list"]

    def location(self, item):
        return reverse(item)


class PageSitemap(Sitemap):
    priority = 0.6
    changefreq = "monthly"

    def items(self):
        return Page.objects.published().order_by("pk")

    def lastmod(self, item):
        return item.updated_at
