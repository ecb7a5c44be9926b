"""Stand-ins in compiled parameters are replaced by each use's values, nothing else is."""

import datetime as dt

from blog import compiled
from blog.models import Article


def test_only_the_stand_ins_are_replaced():
    slug = compiled.stand_in("slug")
    now = dt.datetime(2026, 12, 4, tzinfo=dt.UTC)
    params = (Article.Status.PUBLISHED, compiled.NOW, slug, "english", [1, 2], 10)
    bound = compiled.bind(params, {compiled.NOW: now, slug: "what-is-ketamine"})
    assert bound == [Article.Status.PUBLISHED, now, "what-is-ketamine", "english", [1, 2], 10]


def test_a_stand_in_is_no_real_value():
    assert compiled.stand_in("slug").startswith("\x00")
