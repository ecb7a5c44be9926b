"""RSS and Atom feeds of published articles."""

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed

from clinic import facts as clinic

from .models import HEAVY_FIELDS, Article

ITEMS = 20


class LatestArticles(Feed):
    link = reverse_lazy("blog:list")
    description = "Medically reviewed articles about ketamine and infusion therapy."

    def title(self):
        return f"{clinic.facts().name}: articles"

    def items(self):
        return Article.objects.published().select_related("author").defer(*HEAVY_FIELDS)[:ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.author.name


class LatestArticlesAtom(LatestArticles):
    feed_type = Atom1Feed
    subtitle = LatestArticles.description
