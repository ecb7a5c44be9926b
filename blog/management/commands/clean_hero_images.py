"""Re-encode hero images stored before uploads were cleaned (once, after upgrading)."""

from django.core.management.base import BaseCommand

from blog.models import Article
from blog.services import article_hero_clean


class Command(BaseCommand):
    help = (
        "Re-encode every hero image stored under its uploaded name: no metadata (GPS, camera), "
        "a server-made name, renditions made again by the task worker. A stored file that is "
        "no accepted image is removed from its article and deleted. Audited; safe to re-run."
    )

    def handle(self, *args, **options):
        done = {"hero_image_cleaned": 0, "hero_image_removed": 0, "unchanged": 0}
        for article in Article.objects.exclude(hero_image="").order_by("pk").iterator():
            done[article_hero_clean(article=article)] += 1
        self.stdout.write(
            f"Hero images: {done['hero_image_cleaned']} re-encoded, "
            f"{done['hero_image_removed']} removed (not an accepted image), "
            f"{done['unchanged']} already clean."
        )
