"""Articles, categories, tags, search and the staff preview.

Every public view reads through ``Article.objects.published()``; the content views are
cached whole for anonymous visitors (``public_page``).  Search results are cached per
normalised words and page number in the same store and generation, the generation read
afresh for every search (a withdrawn article leaves search at once, on every server); a
search that finds nothing is never stored, so each such visitor is still counted.
"""

import functools

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import JSONField
from django.db.models.expressions import RawSQL
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
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


def _fetched(chosen: list[int], now) -> list[Article]:
    """The chosen articles, for their cards, in the order chosen."""
    published = Article.objects.published(now).filter(pk__in=chosen).for_listing()
    found = {a.pk: a for a in published}
    return [found[pk] for pk in chosen if pk in found]


def _related_html(article: Article, category_ids: set[int]) -> str:
    """Same category first (most shared categories), then the newest others, chosen by
    ``related.related_ids`` without a query; the section is kept per content generation
    (``related.section_html``), so its cards are fetched and rendered only on a miss."""
    now = timezone.now()
    chosen = related.related_ids(article.pk, category_ids, now)
    return related.section_html(
        chosen, lambda: render_to_string("blog/_related.html", {"related": _fetched(chosen, now)})
    )


def _parts_sql() -> str:
    """One JSON object with the article's categories, tags and references, each a list of
    rows in display order: a correlated subquery of the article's own row.  Written as SQL
    because the ORM's three ``ArraySubquery`` annotations cost more to build and compile
    (about 1.7 ms a page) than the whole query takes to run."""
    article = connection.ops.quote_name(Article._meta.db_table)
    categories, tags = Category._meta.db_table, Tag._meta.db_table
    category_links = Article.categories.through._meta.db_table
    tag_links = Article.tags.through._meta.db_table
    references = Reference._meta.db_table
    return f"""jsonb_build_object(
        'categories', (SELECT COALESCE(jsonb_agg(
                jsonb_build_object('id', c.id, 'name', c.name, 'slug', c.slug)
                ORDER BY c.position, c.name), '[]')
            FROM {categories} c JOIN {category_links} l ON l.category_id = c.id
            WHERE l.article_id = {article}.id),
        'tags', (SELECT COALESCE(jsonb_agg(
                jsonb_build_object('id', t.id, 'name', t.name, 'slug', t.slug)
                ORDER BY t.name), '[]')
            FROM {tags} t JOIN {tag_links} l ON l.tag_id = t.id
            WHERE l.article_id = {article}.id),
        'references', (SELECT COALESCE(jsonb_agg(
                jsonb_build_object('id', r.id, 'citation', r.citation, 'doi', r.doi, 'url', r.url)
                ORDER BY r.position, r.id), '[]')
            FROM {references} r WHERE r.article_id = {article}.id)
    )"""  # noqa: S608 — table names from our models, no value from a request


@functools.cache
def _with_parts() -> RawSQL:
    """The annotation that brings ``_parts_sql`` as ``parts``: one query for the page's
    article, not four."""
    return RawSQL(_parts_sql(), (), output_field=JSONField())  # noqa: S611 — no request value


def _parts(article: Article) -> tuple[list, list, list]:
    """(categories, tags, references): from ``_with_parts``' rows when the article was
    fetched with them, else read."""
    if hasattr(article, "parts"):
        return (
            [Category(**row) for row in article.parts["categories"]],
            [Tag(**row) for row in article.parts["tags"]],
            [Reference(article=article, **row) for row in article.parts["references"]],
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
        "related_html": _related_html(article, {c.pk for c in categories}),
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
        .annotate(parts=_with_parts())
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
