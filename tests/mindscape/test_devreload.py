"""What a process keeps of rendered HTML is forgotten when the development server sees a
file change: it reads an edited template again without restarting."""

from pathlib import Path

import pytest
from django.utils.autoreload import file_changed

from blog import related, rendered
from booking import slots
from booking import views as booking_views
from clinic.templatetags import layout
from mindscape.devreload import forget_on_change

TEMPLATE = Path(__file__).resolve().parents[2] / "templates" / "includes" / "header_body.html"


def changed() -> list:
    return file_changed.send(sender=None, file_path=TEMPLATE)


def test_a_memo_is_forgotten_once_per_change_and_the_restart_left_to_django():
    forgotten = []

    def forget():
        forgotten.append(1)

    forget_on_change(forget)
    forget_on_change(forget)  # connected once
    results = changed()
    assert forgotten == [1]
    ours = [said for receiver, said in results if "forget_on_change" in receiver.__qualname__]
    assert ours and all(said is None for said in ours)
    assert any(said for _, said in results)  # Django's own: a template, read again


def test_two_caches_forgotten_alike_are_both_forgotten():
    import functools

    @functools.cache
    def one():
        return object()

    @functools.cache
    def other():
        return object()

    one(), other()
    forget_on_change(one.cache_clear)
    forget_on_change(other.cache_clear)  # the same name, no module: not taken for the first
    changed()
    assert one.cache_info().currsize == other.cache_info().currsize == 0


@pytest.mark.parametrize(
    "memo",
    [
        layout._memo,
        booking_views._details_rendered,
        slots._days_rendered,
        related._sections,
    ],
    ids=["header and footer", "booking contact fields", "open days", "related articles"],
)
def test_every_memo_of_rendered_html_is_forgotten_on_a_change(memo):
    memo[("a key",)] = "<p>rendered from the old template</p>"
    changed()
    assert not memo


def test_the_digest_behind_the_articles_kept_elements_is_made_again():
    rendered.code_version()
    changed()
    assert rendered.code_version.cache_info().currsize == 0


@pytest.mark.django_db
def test_every_kept_page_goes_stale_on_a_change():
    from mindscape import pagecache

    before = pagecache.current_generation()
    changed()
    assert pagecache.current_generation() not in (None, before)


@pytest.mark.django_db
def test_a_store_that_does_not_answer_leaves_the_reloader_running(monkeypatch, caplog):
    from mindscape import pagecache

    def refuse(**kwargs):
        raise ConnectionError("the cache is away")

    monkeypatch.setattr(pagecache, "bump", refuse)
    changed()  # no exception reaches the development server's reloader
    assert "pages could not be made stale" in caplog.text
