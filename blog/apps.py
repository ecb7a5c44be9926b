from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = "Articles"

    def ready(self) -> None:
        from django.utils import timezone

        from mindscape import devreload, pagecache, warmup

        from . import (
            periodic,  # noqa: F401  (registers the periodic jobs)
            related,
            rendered,
        )
        from .models import Article, Category, Contributor, Reference, Tag

        pagecache.watch(Article, Category, Tag, Reference, Contributor)

        def next_scheduled():
            return (
                Article.objects.filter(
                    status=Article.Status.PUBLISHED, published_at__gt=timezone.now()
                )
                .order_by("published_at")
                .values_list("published_at", flat=True)
                .first()
            )

        pagecache.register_horizon(next_scheduled)
        warmup.at_start(rendered.code_version)  # 20 ms: not on a worker's first visitor
        devreload.forget_on_change(rendered.code_version.cache_clear)
        devreload.forget_on_change(related.forget_sections)

    def seed_demo(self, *, reset_passwords: bool):
        """Demo articles (manage.py seed_demo)."""
        from mindscape.demo import Seeded

        from .seed import seed_blog

        return Seeded(made=(f"{seed_blog()} new articles",))
