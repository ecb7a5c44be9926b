"""Scale the demo data up for ``make bench``: 1,000 articles and 10,000 consultations.

``scripts/bench.py`` calls ``seed_bench()`` once Django is set up (the bench's own concern,
so it lives with the bench, not in the project package).

Fast (``bulk_create``) and idempotent: rows it made carry a ``bench-`` slug or email, and a
second run adds only what is missing.  Meant for the benchmark's own database, never for
the development or production one (it refuses a database without "bench" in its name).
"""

from __future__ import annotations

import datetime as dt
import random

from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from blog import seed_content as content
from blog.models import Article, Category, Reference, Tag
from blog.search import rebuild_terms
from booking.models import Consultation, ConsultationType, Location, Topic
from mindscape.markup import html_to_text, render_with_toc

BATCH = 1000
STATUSES_PAST = ["completed"] * 16 + ["no_show"] + ["cancelled"] * 3


class NotTheBenchDatabase(Exception):
    pass


def seed_bench(*, articles: int = 1000, consultations: int = 10000) -> None:
    """Add bench articles and consultations to the bench database (idempotent)."""
    if "bench" not in connection.settings_dict["NAME"]:
        raise NotTheBenchDatabase("seed_bench only writes to a database with 'bench' in its name.")
    call_command("seed_demo", verbosity=0)
    random.seed(10)  # the same data on every machine
    with transaction.atomic():
        made_articles = _articles(articles)
        made_consultations = _consultations(consultations)
    if made_articles:
        rebuild_terms()
    # Planner statistics now, as a running site has them: otherwise the first minutes of
    # the bench run on plans made for empty tables, until autovacuum's next pass.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"Bench data ready: {made_articles} new articles, {made_consultations} new consultations.",
        flush=True,
    )


# --- Articles -------------------------------------------------------------------------


def _articles(wanted: int) -> int:
    have = Article.objects.filter(slug__startswith="bench-").count()
    if have >= wanted:
        return 0
    # Each bench article copies a demo article: its text, hero image, categories, tags.
    demo = {a.slug: a for a in Article.objects.exclude(slug__startswith="bench-")}
    specs = [spec for spec in content.ARTICLES if spec["slug"] in demo]
    rendered = {}
    for spec in specs:
        body_html, toc = render_with_toc(spec["body"].strip())
        rendered[spec["slug"]] = (body_html, toc, html_to_text(body_html))
    categories = {c.slug: c for c in Category.objects.all()}
    tags = {t.name: t for t in Tag.objects.all()}
    now = timezone.now()
    new, sources = [], []
    for n in range(have, wanted):
        spec = specs[n % len(specs)]
        sources.append(spec)
        source = demo[spec["slug"]]
        body_html, toc, body_text = rendered[spec["slug"]]
        published = now - dt.timedelta(days=n % 900, hours=n % 24 + 1)
        new.append(
            Article(
                slug=f"bench-{n:04d}-{spec['slug']}"[:50],
                title=f"{spec['title']} ({n})"[:120],
                summary=spec["summary"],
                body=spec["body"].strip(),
                body_html=body_html,
                body_text=body_text,
                toc=toc,
                hero_image=source.hero_image.name,
                hero_alt=source.hero_alt,
                hero_width=source.hero_width,
                hero_height=source.hero_height,
                hero_renditions=source.hero_renditions,
                author_id=source.author_id,
                reviewer_id=source.reviewer_id,
                last_reviewed=timezone.localdate(published),
                next_review_due=timezone.localdate(published) + dt.timedelta(days=365),
                status=Article.Status.PUBLISHED,
                published_at=published,
            )
        )
    created = Article.objects.bulk_create(new, batch_size=BATCH)
    category_links, tag_links, references = [], [], []
    for article, spec in zip(created, sources, strict=True):
        category_links += [
            Article.categories.through(article_id=article.pk, category_id=categories[s].pk)
            for s in spec["categories"]
            if s in categories
        ]
        tag_links += [
            Article.tags.through(article_id=article.pk, tag_id=tags[name].pk)
            for name in spec["tags"]
            if name in tags
        ]
        references += [
            Reference(article_id=article.pk, position=position, **reference)
            for position, reference in enumerate(spec["references"], start=1)
        ]
    Article.categories.through.objects.bulk_create(category_links, batch_size=BATCH)
    Article.tags.through.objects.bulk_create(tag_links, batch_size=BATCH)
    Reference.objects.bulk_create(references, batch_size=BATCH)
    return len(created)


# --- Consultations --------------------------------------------------------------------


def _consultations(wanted: int) -> int:
    have = Consultation.objects.filter(email__startswith="bench").count()
    if have >= wanted:
        return 0
    location = Location.objects.get(name="Portland clinic")
    phone_call = ConsultationType.objects.get(name="Phone call")
    starts = _times(location, phone_call, wanted)
    topics = list(Topic.values)
    new = []
    for n, (start, seat, future) in enumerate(starts[have:wanted], start=have):
        status = "booked" if future else random.choice(STATUSES_PAST)
        new.append(
            Consultation(
                location=location,
                consultation_type=phone_call,
                starts_at=start,
                ends_at=start + phone_call.duration,
                blocked_until=start + phone_call.duration + location.buffer,
                seat=seat,
                status=status,
                cancelled_by="patient" if status == "cancelled" else "",
                first_name="Bench",
                last_name=f"Patient {n}",
                email=f"bench{n}@example.org",
                phone=f"+1207555{n % 10000:04d}",
                contact_method="phone",
                topic=topics[n % len(topics)],
                consent_version="2026-11-v1",
            )
        )
    Consultation.objects.bulk_create(new, batch_size=BATCH)
    return len(new)


def _times(location, consultation_type, wanted: int):
    """Starts on the location's own hours: one seat of every slot in the next 60 days
    (the rest stays open to book), then every seat of every slot going back in time."""
    zone = location.zone
    windows = {}
    for window in location.windows.all():
        windows.setdefault(window.weekday, []).append((window.start, window.end))
    step = consultation_type.duration + location.buffer
    today = timezone.localdate(timezone=zone)
    now = timezone.now()

    def day_starts(day):
        for opens, closes in windows.get(day.weekday(), []):
            at = dt.datetime.combine(day, opens, tzinfo=zone)
            end = dt.datetime.combine(day, closes, tzinfo=zone)
            while at + consultation_type.duration <= end:
                yield at.astimezone(dt.UTC)
                at += step

    times = []
    for offset in range(1, location.horizon_days + 1):
        times += [(s, 0, True) for s in day_starts(today + dt.timedelta(days=offset))]
    offset = 1
    while len(times) < wanted:
        for start in day_starts(today - dt.timedelta(days=offset)):
            if start < now:
                times += [(start, seat, False) for seat in range(location.capacity)]
        offset += 1
    return times
