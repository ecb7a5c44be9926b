"""Articles, categories, tags, search and the staff preview.

Every public view reads through ``Article.objects.published()``; the content views are
cached whole for anonymous visitors (``public_page``).  Search results are cached per
normalised words and page number in the same store and generation, the generation read
afresh for every search (a withdrawn article leaves search at once, on every server); a
search that finds nothing is never stored, so each such visitor is still counted.
"""

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_safe

from mindscape.antispam import client_ip
from mindscape.markup import render_with_toc
from mindscape.pagecache import anonymous_read, cached_response, public_page

from . import compiled, related, rendered, rows
from . import search as site_search
from .models import Article, ArticleRevision, Category, Tag
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


def _parts(article: Article) -> tuple[list, list, list]:
    """(categories, tags, references): from ``rows.with_parts``' column when the article
    was fetched with it (its author and reviewer are then set from it too), else read."""
    if hasattr(article, "parts"):
        parts = rows.unpack(article)
        return parts["categories"], parts["tags"], parts["references"]
    return (
        list(article.categories.all()),
        list(article.tags.all()),
        list(article.references.all()),
    )


def _article_page(request, article: Article, *, preview: bool = False):
    categories, tags, references = _parts(article)
    element = rendered.context_for(article, categories, tags, references)
    context = {
        "article": article,
        # A preview may be a revision, or not yet public: rendered, never kept.
        "article_html": rendered.article_html(article, element, keep=not preview),
        "related_html": _related_html(article, {c.pk for c in categories}),
        "json_ld": article_json_ld(request, article, categories),
        "preview": preview,
        "canonical": _canonical(request, article.get_absolute_url()),
    }
    return render(request, "blog/article_detail.html", context)


_SLUG = compiled.stand_in("slug")


def _published_by_slug() -> tuple[str, tuple]:
    """The SQL and parameters of ``published()`` article by slug, with everything its page
    shows in one row (``rows.with_parts``), compiled once per process: the ORM took as long to
    compile it (0.6 ms) as PostgreSQL took to run it."""
    published = Article.objects.published(compiled.NOW)
    return rendered.with_kept(published).filter(slug=_SLUG).query.sql_with_params()


# The slug is unique: one plan serves every article.
_BY_SLUG = compiled.Prepared("blog_published_article_by_slug", _published_by_slug)


def _published_article(slug: str) -> Article:
    found = _BY_SLUG.raw(Article, {compiled.NOW: timezone.now(), _SLUG: slug})
    if not found:
        raise Http404("No article matches the given query.")
    return found[0]


@require_safe
@public_page
def article_detail(request, slug: str):
    return _article_page(request, _published_article(slug))


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
