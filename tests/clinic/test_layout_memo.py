"""The header and footer are rendered once per process: the same bytes, cold or warm, and a
staff edit of the clinic shows on the very next page."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command

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
