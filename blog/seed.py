"""Demo articles (from ``seed_content``) with generated hero images.  Idempotent: an article
that already exists is left exactly as staff last edited it."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from . import seed_content as content
from .images import generate_demo_image
from .models import Article, Category, Contributor, Reference, Tag
from .search import rebuild_terms
from .services import review_interval
from .tasks import article_process_hero

FEATURED = 2  # the first articles are suggested when a search finds nothing


def _contributors() -> tuple[Contributor, Contributor]:
    reviewer_user = get_user_model().objects.filter(username="reviewer").first()
    reviewer, _ = Contributor.objects.get_or_create(
        name=content.REVIEWER_NAME,
        defaults={
            "credentials": content.REVIEWER_CREDENTIALS,
            "is_placeholder": True,
            "user": reviewer_user,
        },
    )
    author, _ = Contributor.objects.get_or_create(
        name=content.AUTHOR_NAME, defaults={"is_placeholder": True}
    )
    return author, reviewer


def seed_blog(now: dt.datetime | None = None) -> int:
    """Create the demo categories and articles that do not exist yet; return how many."""
    now = now or timezone.now()
    with transaction.atomic():
        categories = {}
        for position, spec in enumerate(content.CATEGORIES):
            categories[spec["slug"]], _ = Category.objects.get_or_create(
                slug=spec["slug"],
                defaults={
                    "name": spec["name"],
                    "description": spec["description"],
                    "position": position,
                },
            )
        author, reviewer = _contributors()
        created = 0
        for index, spec in enumerate(content.ARTICLES):
            if Article.objects.filter(slug=spec["slug"]).exists():
                continue
            published_at = now - dt.timedelta(days=spec["days_ago"])
            reviewed = timezone.localdate(published_at)
            article = Article(
                slug=spec["slug"],
                title=spec["title"],
                summary=spec["summary"],
                body=spec["body"].strip(),
                seo_title=spec.get("seo_title", ""),
                seo_description=spec.get("seo_description", ""),
                hero_alt=spec["hero_alt"],
                hero_decorative=True,  # soft colour fields: they show nothing a reader needs
                author=author,
                reviewer=reviewer,
                last_reviewed=reviewed,
                next_review_due=reviewed + review_interval(),
                status=Article.Status.PUBLISHED,
                published_at=published_at,
                is_featured=index < FEATURED,
            )
            image = generate_demo_image(spec["slug"], tuple(spec["hero_palette"]))
            article.hero_image.save(f"{spec['slug']}.jpg", ContentFile(image), save=False)
            article.save()
            article.categories.set([categories[slug] for slug in spec["categories"]])
            article.tags.set(
                [
                    Tag.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
                    for name in spec["tags"]
                ]
            )
            Reference.objects.bulk_create(
                Reference(article=article, position=position, **reference)
                for position, reference in enumerate(spec["references"], start=1)
            )
            article_process_hero(article=article)
            created += 1
        rebuild_terms()
    return created
