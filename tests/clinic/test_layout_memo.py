"""The header and footer are rendered once per process: the same bytes, cold or warm, and a
staff edit of the clinic shows on the very next page."""

import datetime as dt
import re
from unittest import mock
from urllib.parse import urlencode

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.template import Engine, Template

from blog.models import Article
from clinic.models import Clinic, OfficeHours
from clinic.templatetags import layout

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 3, 15, 0, tzinfo=dt.UTC)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.fixture
def seeded():
    with time_machine.travel(NOW, tick=False):
        call_command("seed_demo", verbosity=0)
        yield


def pages() -> list[str]:
    article = Article.objects.filter(status=Article.Status.PUBLISHED).order_by("pk").first()
    return ["/", article.get_absolute_url(), "/consultation/", "/intake/", "/crisis/", "/about/"]


def html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return CSRF.sub('name="csrfmiddlewaretoken" value=""', response.content.decode())


def test_pages_are_the_same_cold_and_warm(client, seeded):
    with time_machine.travel(NOW, tick=False):
        for url in pages():
            layout.forget()
            cache.clear()
            cold = html(client, url)
            warm = html(client, url)
            assert warm == cold, url
            assert "</footer>" in warm and "</header>" in warm


def test_menu_marks_the_current_page_only_there(client, seeded):
    assert 'href="/about/" aria-current="page"' in html(client, "/about/")
    assert 'aria-current="page"' not in html(client, "/crisis/").split("</header>")[0]
    assert 'href="/about/" aria-current="page"' in html(client, "/about/")


def test_footer_variant_follows_the_page(client, seeded):
    assert 'id="footer-crisis-en"' in html(client, "/consultation/")
    assert 'id="footer-crisis-en"' not in html(client, "/")
    assert 'id="footer-crisis-compact"' in html(client, "/")
    assert 'id="footer-crisis-en"' in html(client, "/consultation/")


def test_search_words_are_never_kept_in_the_header(client, seeded):
    for words in ("first words", "other words"):
        header = html(client, f"/search/?q={words}").split("</header>")[0]
        assert f'value="{words}"' in header
    kept = [value for value in layout._memo.values() if isinstance(value, str)]
    assert not any("first words" in value or "other words" in value for value in kept)


def test_search_words_in_the_kept_header_are_escaped_as_the_template_does(client, seeded):
    words = """<b>"fish" & 'chips'</b>"""
    url = "/search/?" + urlencode({"q": words})
    layout.forget()
    html(client, "/search/?q=warm")  # the header kept with its stand-in
    warm = html(client, url)
    remember = layout._remember
    never_kept = lambda key, make: "" if key[0] == "header" else remember(key, make)  # noqa: E731
    with mock.patch.object(layout, "_remember", never_kept):
        fresh = html(client, url)
    assert warm == fresh
    assert 'value="&lt;b&gt;&quot;fish&quot; &amp; &#x27;chips&#x27;&lt;/b&gt;"' in warm
    assert layout.WORDS not in warm and "\x00" not in warm


def test_a_header_without_its_stand_in_is_rendered_afresh(client, seeded):
    """Were the words ever written twice, or through a filter that changes the stand-in, the
    header would not be kept (the stand-in must never reach a page)."""
    template = "includes/header_body.html"
    engine = Engine.get_default()
    source = engine.get_template(template).source.replace(
        "{{ query|default:'' }}", "{{ query|default:''|upper }}"
    )
    layout.forget()
    with mock.patch.object(engine, "get_template", _only(template, source, engine)):
        page = html(client, "/search/?q=first+words")
    assert 'value="FIRST WORDS"' in page
    assert "\x00" not in page and "WORDS\x00" not in page.upper()


def test_a_clinic_edit_shows_on_the_next_page(client, seeded):
    for url in ("/", "/consultation/"):
        html(client, url)  # warm the memo
    clinic = Clinic.load()
    clinic.phone = "(212) 555-0199"
    clinic.save()
    OfficeHours.objects.filter(clinic=clinic).delete()
    OfficeHours.objects.create(clinic=clinic, weekday=6, opens=dt.time(9), closes=dt.time(11))
    for url in ("/", "/consultation/"):
        page = html(client, url)
        assert "(212) 555-0199" in page.split("</header>")[0], url
        assert "(212) 555-0199" in page.split("<footer")[1], url
        assert "<dt>Sun</dt> <dd>9 am–11 am</dd>" in page, url
        assert "<dt>Mon–Sat</dt> <dd>Closed</dd>" in page, url


def _only(name: str, source: str, engine: Engine):
    """``engine.get_template`` with ``name`` made from ``source`` instead of its file."""
    real = engine.get_template

    def get_template(wanted):
        return Template(source, engine=engine) if wanted == name else real(wanted)

    return get_template
