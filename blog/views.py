"""Articles, categories, tags, search and the staff preview.

Every public view reads through ``Article.objects.published()``; the content views are
cached whole for anonymous visitors (``public_page``).  Search results are cached per
normalised words and page number in the same store and generation, the generation read
afresh for every search (a withdrawn article leaves search at once, on every server); a
search that finds nothing is never stored, so each such visitor is still counted.
"""

from django.contrib.auth.decorators import permission_required
from django.contrib.postgres.expressions import ArraySubquery
from django.core.paginator import Paginator
from django.db.models import OuterRef
from django.db.models.functions import JSONObject
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from mindscape.antispam import client_ip
from mindscape.markup import render_with_toc
from mindscape.pagecache import anonymous_read, cached_response, public_page

from . import related
from . import search as site_search
from .models import Article, ArticleRevision, Category, Reference, Tag
from .services import REVISION_FIELDS
from .structured_data import article_json_ld

PER_PAGE = 10


def _canonical(request, path: str, page_number: int = 1) -> str:
    """The page's one address for search engines: no tracking or other stray parameters."""
    query = f"?page={page_number}" if page_number > 1 else ""
    return request.build_absolute_uri(path + query)


def _listing(request, queryset, template_context: dict):
    page = Paginator(queryset.for_listing(), PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "canonical": _canonical(request, request.path, page.number)}
    return render(request, "blog/article_list.html", {**context, **template_context})


@require_safe
@public_page
def article_list(request):
    return _listing(request, Article.objects.published(), {"heading": "Articles"})


@require_safe
@public_page
def category(request, slug: str):
    category = get_object_or_404(Category, slug=slug)
    return _listing(
        request,
        Article.objects.published().filter(categories=category),
        {"heading": category.name, "intro": category.description, "category": category},
    )


@require_safe
@public_page
def tag(request, slug: str):
    tag = get_object_or_404(Tag, slug=slug)
    return _listing(
        request,
        Article.objects.published().filter(tags=tag),
        {"heading": f"Articles about {tag.name}", "tag": tag},
    )


def related_articles(article: Article, category_ids: set[int] | None = None) -> list[Article]:
    """Same category first (most shared categories), then the newest others (chosen by
    ``related.related_ids`` without a query of their own), fetched for their cards."""
    if category_ids is None:
        category_ids = {c.pk for c in article.categories.all()}
    now = timezone.now()
    chosen = related.related_ids(article.pk, category_ids, now)
    found = {a.pk: a for a in Article.objects.published(now).filter(pk__in=chosen).for_listing()}
    return [found[pk] for pk in chosen if pk in found]


def _with_parts():
    """The article's categories, tags and references, each as a list of JSON objects in
    the article's own row: one query for the page's article, not four."""
    return {
        "category_rows": ArraySubquery(
            Category.objects.filter(articles=OuterRef("pk"))
            .order_by("position", "name")
            .values(row=JSONObject(id="pk", name="name", slug="slug"))
        ),
        "tag_rows": ArraySubquery(
            Tag.objects.filter(articles=OuterRef("pk"))
            .order_by("name")
            .values(row=JSONObject(id="pk", name="name", slug="slug"))
        ),
        "reference_rows": ArraySubquery(
            Reference.objects.filter(article=OuterRef("pk"))
            .order_by("position", "pk")
            .values(row=JSONObject(id="pk", citation="citation", doi="doi", url="url"))
        ),
    }


def _parts(article: Article) -> tuple[list, list, list]:
    """(categories, tags, references): from ``_with_parts``' rows when the article was
    fetched with them, else read."""
    if hasattr(article, "category_rows"):
        return (
            [Category(**row) for row in article.category_rows],
            [Tag(**row) for row in article.tag_rows],
            [Reference(article=article, **row) for row in article.reference_rows],
        )
    return (
        list(article.categories.all()),
        list(article.tags.all()),
        list(article.references.all()),
    )


def _article_page(request, article: Article, *, preview: bool = False):
    categories, tags, references = _parts(article)
    context = {
        "article": article,
        "categories": categories,
        "tags": tags,
        "references": references,
        "related": related_articles(article, {c.pk for c in categories}),
        "json_ld": article_json_ld(request, article, categories),
        "preview": preview,
        "canonical": _canonical(request, article.get_absolute_url()),
    }
    primary = categories[0] if categories else None
    context["interest"] = primary.slug if primary else ""
    return render(request, "blog/article_detail.html", context)


@require_safe
@public_page
def article_detail(request, slug: str):
    article = get_object_or_404(
        Article.objects.published()
        .select_related("author", "reviewer")
        .annotate(**_with_parts())
        .defer("body", "body_text", "search_vector"),  # the page shows body_html only
        slug=slug,
    )
    return _article_page(request, article)


@require_safe
@permission_required("blog.view_article", raise_exception=True)
def article_preview(request, pk: int):
    """Staff see any article as it would look, marked as a preview and never indexed."""
    article = get_object_or_404(Article.objects.select_related("author", "reviewer"), pk=pk)
    response = _article_page(request, article, preview=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
@permission_required("blog.view_articlerevision", raise_exception=True)
def revision_preview(request, pk: int):
    """A revision as the article would look once approved (nothing is saved)."""
    revision = get_object_or_404(
        ArticleRevision.objects.select_related("article__author", "article__reviewer"), pk=pk
    )
    article = revision.article
    for field in REVISION_FIELDS:
        setattr(article, field, getattr(revision, field))
    article.body_html, article.toc = render_with_toc(article.body)
    response = _article_page(request, article, preview=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
def search(request):
    query = site_search.normalise(request.GET.get("q"))
    page_number = request.GET.get("page")

    def render_results():
        results = site_search.search(query, page_number, client=client_ip(request))
        context = {"results": results, "query": results.query}
        if not results.page:
            context["popular"] = site_search.popular()
        response = render(request, "blog/search.html", context)
        # A search that found nothing counts its visitor: never answered from a copy.
        return response, bool(results.page) or not query

    if not anonymous_read(request):
        return render_results()[0]
    key = f"search:{site_search.page_key(page_number)}:{query}"
    return cached_response(request, key, render_results, recheck=True)
