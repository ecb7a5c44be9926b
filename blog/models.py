"""Articles: medically reviewed, referenced, and visible only through ``published()``."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from mindscape.fields import HttpsURLField
from mindscape.markup import html_to_text, render_with_toc

SEARCH_CONFIG = "english"
# The body's weight in an article's search vector (the title's is A, the summary's B):
# search's snippets read the body's own words by it.
BODY_WEIGHT = "C"
# An article's body in its three forms and its search vector: most of a row's size, and
# nothing that lists articles (cards, feeds) shows them.
HEAVY_FIELDS = ("body", "body_html", "body_text", "toc", "search_vector")


class Category(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(unique=True)
    description = models.CharField(
        max_length=200, blank=True, help_text="One sentence shown on the category page."
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("blog:category", kwargs={"slug": self.slug})


class Tag(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("blog:tag", kwargs={"slug": self.slug})


class Contributor(models.Model):
    """A person named on articles: an author, or a medical reviewer with credentials."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributor",
        help_text="The staff account of this person, when they have one.",
    )
    name = models.CharField(max_length=120)
    credentials = models.CharField(
        max_length=200, blank=True, help_text="E.g. “MD, board-certified psychiatrist”."
    )
    is_placeholder = models.BooleanField(
        default=False,
        help_text=(
            "A stand-in made by the demo data (seed_demo), not a real person: never presented "
            "to search engines, and an article it “reviewed” says “Not yet reviewed by our "
            "medical director” instead of claiming a review."
        ),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


def published_q(prefix: str = "", now: dt.datetime | None = None) -> models.Q:
    """``published()`` as a condition, for a query that reaches articles through a relation
    (``prefix="article__"``) without a subquery."""
    return models.Q(
        (f"{prefix}status", Article.Status.PUBLISHED),
        (f"{prefix}published_at__lte", now or timezone.now()),
    )


class ArticleQuerySet(models.QuerySet):
    def published(self, now: dt.datetime | None = None) -> ArticleQuerySet:
        """The one definition of "visible to the public": published and its date has come.

        Every public view, the feeds, the sitemap and search use this.
        """
        return self.filter(published_q(now=now))

    def for_listing(self) -> ArticleQuerySet:
        """What list pages need, fetched in a fixed number of queries."""
        return (
            self.select_related("author", "reviewer")
            .prefetch_related("categories")
            .defer(*HEAVY_FIELDS)
        )

    def overdue_for_review(self, today: dt.date | None = None) -> ArticleQuerySet:
        return self.filter(
            status=Article.Status.PUBLISHED, next_review_due__lt=today or timezone.localdate()
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In medical review"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=120)
    slug = models.SlugField(unique=True, help_text="The article's address: /blog/<slug>/.")
    summary = models.CharField(
        max_length=300, help_text="One or two sentences shown in lists and search results."
    )
    body = models.TextField(
        help_text="Markdown: ## for sections and ### for subsections (they make the table of "
        "contents), - for lists, [text](https://…) for links."
    )
    body_html = models.TextField(editable=False, default="")
    body_text = models.TextField(editable=False, default="")  # for search and snippets
    toc = models.JSONField(editable=False, default=list)

    hero_image = models.ImageField(upload_to="articles/", blank=True)
    hero_alt = models.CharField(
        "hero image description",
        max_length=200,
        blank=True,
        help_text="What the image shows, for people who cannot see it. Required with an image "
        "unless it is decorative.",
    )
    hero_decorative = models.BooleanField(
        "the image is decorative",
        default=False,
        help_text="Tick when the image only sets a mood and shows nothing a reader needs: "
        "screen readers then pass over it.",
    )
    hero_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_renditions = models.JSONField(default=list, blank=True, editable=False)

    categories = models.ManyToManyField(Category, related_name="articles")
    tags = models.ManyToManyField(Tag, related_name="articles", blank=True)
    author = models.ForeignKey(Contributor, on_delete=models.PROTECT, related_name="articles")
    reviewer = models.ForeignKey(
        Contributor,
        on_delete=models.PROTECT,
        related_name="reviewed_articles",
        null=True,
        blank=True,
        editable=False,
        help_text="Set when a medical reviewer publishes or marks the article reviewed.",
    )
    last_reviewed = models.DateField(null=True, blank=True, editable=False)
    next_review_due = models.DateField(null=True, blank=True, editable=False)

    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    published_at = models.DateTimeField(
        "publish date",
        default=timezone.now,
        help_text="A date in the future keeps the article hidden until then.",
    )
    is_featured = models.BooleanField(
        default=False,
        help_text="Suggested to readers when a search finds nothing (we do not track views).",
    )
    seo_title = models.CharField(
        "search engine title", max_length=70, blank=True, help_text="Defaults to the title."
    )
    seo_description = models.CharField(
        "search engine description",
        max_length=160,
        blank=True,
        help_text="Defaults to the summary.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Kept inside the row (STORAGE MAIN, migration 0005): search reads it for every match.
    # Should Django ever re-create the column (a new expression), set the storage again.
    search_vector = models.GeneratedField(
        expression=SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body_text", weight=BODY_WEIGHT, config=SEARCH_CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [
            GinIndex(fields=["search_vector"], name="article_search_gin"),
            models.Index(fields=["status", "published_at"], name="article_visible_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(hero_image="") | ~Q(hero_alt="") | Q(hero_decorative=True),
                name="article_hero_needs_alt",
            ),
            models.CheckConstraint(
                condition=~Q(status="published")
                | Q(reviewer__isnull=False, last_reviewed__isnull=False),
                name="article_published_is_reviewed",
            ),
        ]
        permissions = [
            ("publish_article", "Can publish articles and mark them medically reviewed"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # The rendered HTML, its plain text and table of contents are a cache of `body`.
        self.body_html, self.toc = render_with_toc(self.body)
        self.body_text = html_to_text(self.body_html)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html", "body_text", "toc"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("blog:article", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.hero_image and not self.hero_decorative and not self.hero_alt.strip():
            raise ValidationError({"hero_alt": "Describe the image for people who cannot see it."})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    @property
    def has_medical_review(self) -> bool:
        """True when a real medical reviewer (not a demo stand-in) signed the review off."""
        return bool(self.reviewer_id and self.last_reviewed and not self.reviewer.is_placeholder)

    @property
    def is_overdue_for_review(self) -> bool:
        return bool(self.next_review_due and self.next_review_due < timezone.localdate())

    @property
    def renditions(self):
        if not self.hero_renditions:
            return []
        from .images import renditions_from_json

        return renditions_from_json(self.hero_renditions)

    @property
    def primary_category(self) -> Category | None:
        categories = list(self.categories.all())  # prefetched in listings
        return categories[0] if categories else None

    @property
    def page_title(self) -> str:
        return self.seo_title or self.title

    @property
    def page_description(self) -> str:
        return self.seo_description or self.summary


class Reference(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="references")
    position = models.PositiveSmallIntegerField(default=0)
    citation = models.TextField(help_text="The full citation, e.g. in AMA style.")
    doi = models.CharField(
        "DOI", max_length=120, blank=True, help_text="E.g. 10.1001/archpsyc.63.8.856"
    )
    url = HttpsURLField("URL", blank=True, help_text="Used when there is no DOI.")

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.citation[:80]

    @property
    def link(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else self.url

    def clean(self) -> None:
        if self.doi.startswith(("http://", "https://", "doi:")):
            raise ValidationError({"doi": "Enter the DOI alone, e.g. 10.1001/archpsyc.63.8.856."})


class RenderedArticle(models.Model):
    """An article's ``<article>`` element as last rendered, with the key of everything it
    was rendered from (``blog.rendered``): its row, its categories, tags, references, author
    and reviewer, the code and the settings.  Used only while that key still matches; public
    content only, never a preview."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="rendered"
    )
    key = models.CharField(max_length=64)
    html = models.TextField()

    def __str__(self) -> str:
        return f"Rendered article {self.article_id}"


class ArticleRevision(models.Model):
    """Proposed new text for a published article, shown to the public only once approved.

    The public page keeps the last reviewed text (and its review date) until a medical
    reviewer approves the revision, which then replaces it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for medical review"
        APPROVED = "approved", "Approved and published"
        REJECTED = "rejected", "Returned to the editor"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=120)
    summary = models.CharField(max_length=300)
    body = models.TextField(help_text=Article._meta.get_field("body").help_text)
    seo_title = models.CharField("search engine title", max_length=70, blank=True)
    seo_description = models.CharField("search engine description", max_length=160, blank=True)
    note = models.CharField(
        "what changed",
        max_length=300,
        blank=True,
        help_text="A short note for the reviewer, e.g. “Updated the esketamine approval date”.",
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    decided_at = models.DateTimeField(null=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["article"],
                condition=Q(status="pending"),
                name="one_pending_revision_per_article",
            )
        ]
        permissions = [("approve_articlerevision", "Can approve article revisions")]

    def __str__(self) -> str:
        return f"Revision of “{self.article.title}” ({self.get_status_display()})"


class SearchTerm(models.Model):
    """Words of published articles, for "Did you mean" suggestions (trigram similarity).

    Rebuilt by ``blog.search.rebuild_terms()`` whenever what is published changes.
    """

    word = models.CharField(max_length=40, unique=True)

    class Meta:
        indexes = [GinIndex(fields=["word"], opclasses=["gin_trgm_ops"], name="searchterm_trgm")]

    def __str__(self) -> str:
        return self.word


class ZeroResultSearch(models.Model):
    """Searches that found nothing: the words only, never who searched or when exactly.

    Kept only once three different visitors sent the same words in one day (until then
    only hashes are stored: ``ZeroResultSighting``), so a name one person typed never
    reaches the editors.  Crisis wording and anything that looks like an email, a phone
    number or a long digit string are never stored (see ``blog.search.record_zero_results``).
    """

    query = models.CharField(max_length=100, unique=True)
    count = models.PositiveIntegerField(default=1)
    last_seen = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["-count", "query"]
        verbose_name = "search that found nothing"
        verbose_name_plural = "searches that found nothing"

    def __str__(self) -> str:
        return self.query


class SearchSalt(models.Model):
    """Today's random salt for the hashes of ``ZeroResultSighting``.  Deleted the next day,
    with the sightings: the hashes left behind would then match no address or words."""

    day = models.DateField(unique=True)
    value = models.CharField(max_length=64)

    def __str__(self) -> str:
        return str(self.day)


class ZeroResultSighting(models.Model):
    """One visitor sent words that found nothing, today: hashes only (salted with today's
    ``SearchSalt``), never the words nor the address.  Counted until three different
    visitors sent the same words; then the words are kept as a ``ZeroResultSearch``."""

    day = models.DateField()
    query_hash = models.CharField(max_length=64)
    visitor_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "query_hash", "visitor_hash"], name="one_sighting_per_visitor"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.query_hash[:8]}"
