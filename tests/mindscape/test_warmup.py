"""A new application worker compiles the site's templates before its first request."""

import runpy
from pathlib import Path

import pytest
from django.template import engines

from mindscape.warmup import warm

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.mark.django_db
def test_warm_compiles_the_sites_templates_into_the_cached_loader():
    loader = engines["django"].engine.template_loaders[0]
    loader.reset()
    compiled = warm()
    cached = loader.get_template_cache
    assert compiled == len(list((ROOT / "templates").rglob("*.html")))
    for name in ("base.html", "blog/article_detail.html", "blog/search.html"):
        assert name in cached


@pytest.mark.django_db
def test_warm_does_the_apps_start_up_work_so_no_visitor_waits_for_it():
    from blog import rendered

    rendered.code_version.cache_clear()
    warm()
    assert rendered.code_version.cache_info().currsize == 1  # blog registered it


def test_gunicorn_warms_each_worker():
    assert callable(runpy.run_path(str(ROOT / "gunicorn.conf.py"))["post_worker_init"])
