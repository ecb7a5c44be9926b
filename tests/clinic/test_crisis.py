"""The crisis resources: on every page, in English and Spanish, current and correct."""

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.urls import reverse

from clinic import crisis
from clinic.crisis import is_crisis_text


@pytest.fixture
def footer(client, db):
    html = client.get("/").content.decode()
    return BeautifulSoup(html, "html.parser").find("footer")


@pytest.fixture
def full(client, db):
    """The crisis page: every resource, the full block in English and Spanish."""
    html = client.get(reverse("crisis")).content.decode()
    return BeautifulSoup(html, "html.parser").find("main")


def hrefs(node):
    return {a["href"] for a in node.find_all("a")}


def words(node) -> str:
    return " ".join(node.get_text(" ").split())


def test_the_compact_footer_block_has_what_every_page_needs(footer):
    """Clinical-reference 7.4 A on every page: call or text 988, chat, Veterans 988 then 1,
    911, not monitored in real time, and a link to everything, in English and Spanish."""
    compact = footer.find(class_="crisis-compact")
    english = compact.find(attrs={"lang": "en"})
    text = words(english)
    assert {"tel:988", "sms:988", "https://988lifeline.org/chat/", "tel:911"} <= hrefs(english)
    assert "call or text 988" in text and "chat at 988lifeline.org" in text
    assert "Veterans: dial 988 then press 1" in text
    assert "call 911 or go to the nearest emergency room" in text
    assert "not monitored in real time" in text
    spanish = compact.find(attrs={"lang": "es"})
    assert "llame al 988 y oprima 2" in words(spanish) and "tiempo real" in words(spanish)
    assert {"tel:988", "tel:911"} <= hrefs(spanish)
    assert reverse("crisis") in hrefs(compact)
    assert footer.find(class_="crisis-block") is None  # not the full block: one per page


def test_the_crisis_page_lists_every_resource_with_working_links(full):
    english = full.find(class_="crisis-block", attrs={"lang": "en"})
    text = words(english)
    links = hrefs(english)
    assert {"tel:988", "sms:988", "https://988lifeline.org/chat/"} <= links
    assert "Call or text 988" in text
    assert "Dial 988 then press 1" in text  # Veterans
    assert "sms:838255" in links
    assert "Llame al 988 y oprima 2" in text  # Spanish line
    assert "ASL Now" in text
    assert "Text HOME to 741741" in text and crisis.HOME_TO_741741 in links
    assert "Call 911 or go to the nearest emergency room" in text and "tel:911" in links
    assert "not monitored in real time" in text


def test_spanish_block_is_marked_as_spanish_and_lists_calls_only(full):
    spanish = full.find(class_="crisis-block", attrs={"lang": "es"})
    assert spanish is not None
    text = words(spanish)
    assert "988" in text and "911" in text and "Llame al 988 y oprima 2" in text
    assert {"tel:988", "tel:911"} <= hrefs(spanish)
    # Texting cannot "press 2"; the Spanish text and chat option awaits sign-off.
    assert "sms:988" not in hrefs(spanish) and "988lifeline.org/es" not in str(spanish)
    assert "texto al 988" not in text.lower()
    assert "tiempo real" in text
    # The Spanish line inside the English list is marked too.
    assert full.find("li", attrs={"lang": "es"}) is not None


def test_one_sms_form_for_the_741741_body_everywhere():
    found = set()
    for block in crisis.BLOCKS:
        for resource in block.resources:
            found |= {a.href for a in resource.actions if a.href.startswith("sms:741741")}
    found |= {a.href for a in crisis.PANEL_ACTIONS if a.href.startswith("sms:741741")}
    assert found == {crisis.HOME_TO_741741}


def test_no_template_types_a_crisis_link_of_its_own():
    """One crisis list builds every panel, banner and footer: no tel:/sms: typed in a
    template (the staff email templates included)."""
    root = Path(settings.BASE_DIR) / "templates"
    typed = [
        str(path.relative_to(root))
        for path in root.rglob("*.html")
        if re.search(r"href=\"(tel:(988|911)|sms:)", path.read_text())
    ]
    assert typed == ["emails/booking/patient.html"]  # an email: no template context


def test_never_the_old_number_nor_the_discontinued_press_3(client, db):
    html = client.get("/").content.decode().lower()
    assert "273-8255" not in html and "2738255" not in html and "273-talk" not in html
    assert "press 3" not in html and "oprima 3" not in html


def test_every_action_is_a_phone_text_or_https_link():
    for block in crisis.BLOCKS:
        for resource in block.resources:
            for action in resource.actions:
                assert re.match(
                    r"^(tel:\d+|sms:\d+(\?body=\w+)?|https://988lifeline\.org/)", action.href
                )


@pytest.mark.parametrize(
    "text",
    [
        "I want to kill myself",
        "thinking about suicide",
        "suicidal thoughts",
        "I don't want to live anymore",
        "I dont want to be alive",
        "I’ve been hurting myself",
        "self-harm",
        "self harm help",
        "better off dead",
        "no reason to live",
        "I want to end my life",
        "thinking of ending it all",
        "sucide",
        "OVERDOSE",
        "quiero morir",
        "pienso en el suicidio",
        "quiero matarme",
        "no quiero vivir",
        "hacerme daño",
    ],
)
def test_crisis_wording_is_recognised(text):
    assert is_crisis_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        None,
        "ketamine side effects",
        "What is ketamine treatment?",
        "chronic pain",
        "depression treatment cost",
        "I killed it at work today",
        "the side of the building",
        "dietary advice",
        "studied medicine",
    ],
)
def test_ordinary_text_is_not_flagged(text):
    assert not is_crisis_text(text)


def test_search_with_crisis_wording_shows_the_crisis_block_first(client, db):
    html = client.get("/search/", {"q": "I want to die"}).content.decode()
    main = BeautifulSoup(html, "html.parser").find("main")
    first = main.find(["section", "h1"])
    assert first.name == "section" and "crisis" in first["class"]
    assert "tel:988" in hrefs(first)


def test_ordinary_search_has_no_crisis_block_in_main(client, db):
    html = client.get("/search/", {"q": "ketamine"}).content.decode()
    main = BeautifulSoup(html, "html.parser").find("main")
    assert main.find(class_="crisis") is None


def test_seeded_pages_and_articles_say_not_monitored_in_real_time():
    from blog.seed_content import ARTICLES
    from clinic.seed import PAGES

    texts = [page["body"] for page in PAGES] + [article["body"] for article in ARTICLES]
    assert not any("around the clock" in text for text in texts)
    for article in ARTICLES:  # each article's own "If you need help right now" section
        assert "## If you need help right now" in article["body"], article["slug"]
        assert "not monitored in real time" in article["body"], article["slug"]
