"""An article's related rows as one JSON column of the article's own query.

``with_parts(names)`` annotates a query with ``parts``: a JSON object holding, for each name
asked, the article's author or reviewer (a row, or null) or its categories, tags or
references (lists of rows in display order), each a correlated subquery of the article's
row.  Written as SQL because the ORM's ``ArraySubquery`` annotations cost more to build and
compile (about 1.7 ms for an article's page) than the whole query takes to run, and
``prefetch_related`` costs a query and its compiling for each relation.  ``unpack`` turns
the column back into model instances.
"""

from __future__ import annotations

import functools
import json

from django.db import connection
from django.db.models import JSONField
from django.db.models.expressions import RawSQL

from .models import Article, Category, Contributor, Reference, Tag

PARTS = ("author", "reviewer", "categories", "tags", "references")
_CONTRIBUTORS = ("author", "reviewer")


def _subqueries() -> dict[str, str]:
    article = connection.ops.quote_name(Article._meta.db_table)
    contributors = Contributor._meta.db_table
    categories, tags = Category._meta.db_table, Tag._meta.db_table
    category_links = Article.categories.through._meta.db_table
    tag_links = Article.tags.through._meta.db_table
    references = Reference._meta.db_table
    # S608: table names from our models, no value from a request.
    return {
        role: f"(SELECT to_jsonb(p) FROM {contributors} p WHERE p.id = {article}.{role}_id)"  # noqa: S608
        for role in _CONTRIBUTORS
    } | {
        "categories": f"""(SELECT COALESCE(jsonb_agg(
                jsonb_build_object('id', c.id, 'name', c.name, 'slug', c.slug)
                ORDER BY c.position, c.name), '[]')
            FROM {categories} c JOIN {category_links} l ON l.category_id = c.id
            WHERE l.article_id = {article}.id)""",  # noqa: S608
        "tags": f"""(SELECT COALESCE(jsonb_agg(
                jsonb_build_object('id', t.id, 'name', t.name, 'slug', t.slug)
                ORDER BY t.name), '[]')
            FROM {tags} t JOIN {tag_links} l ON l.tag_id = t.id
            WHERE l.article_id = {article}.id)""",  # noqa: S608
        "references": f"""(SELECT COALESCE(jsonb_agg(
                jsonb_build_object('id', r.id, 'citation', r.citation, 'doi', r.doi, 'url', r.url)
                ORDER BY r.position, r.id), '[]')
            FROM {references} r WHERE r.article_id = {article}.id)""",  # noqa: S608
    }


def parts_sql(names: tuple[str, ...] = PARTS) -> str:
    """The JSON object of ``names`` (see the module's docstring) as SQL."""
    subqueries = _subqueries()
    pairs = ", ".join(f"'{name}', {subqueries[name]}" for name in names)
    return f"jsonb_build_object({pairs})"


@functools.cache
def with_parts(names: tuple[str, ...] = PARTS) -> RawSQL:
    """The annotation that brings ``parts_sql(names)`` as ``parts``."""
    return RawSQL(parts_sql(names), (), output_field=JSONField())  # noqa: S611 — no request value


_MODELS = {"categories": Category, "tags": Tag}


def unpack(article: Article) -> dict[str, list]:
    """The lists in ``article.parts`` as model instances, by name; the author and reviewer
    it holds are set on the article itself (no query when they are read)."""
    parts = article.parts
    if isinstance(parts, str):  # a raw query's column: not parsed as a JSONField's is
        parts = article.parts = json.loads(parts)
    found = {}
    for name, rows in parts.items():
        if name in _CONTRIBUTORS:
            setattr(article, name, Contributor(**rows) if rows else None)
        elif name == "references":
            found[name] = [Reference(article=article, **row) for row in rows]
        else:
            found[name] = [_MODELS[name](**row) for row in rows]
    return found
