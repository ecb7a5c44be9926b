"""The crisis resources: on every page, in English and Spanish, current and correct."""

import re

import pytest
from bs4 import BeautifulSoup

from mindscape import crisis
from mindscape.crisis import is_crisis_text


@pytest.fixture
def footer(client, db):
    html = client.get("/").content.decode()
    return BeautifulSoup(html, "html.parser").find("footer")


def hrefs(node):
    return {a["href"] for a in node.find_all("a")}


def test_footer_lists_every_resource_with_working_links(footer):
    english = footer.find(class_="crisis-block", attrs={"lang": "en"})
    text = " ".join(english.get_text(" ").split())
    links = hrefs(english)
    assert {"tel:988", "sms:988", "https://988lifeline.org/chat/"} <= links
    assert "Call or text 988" in text
    assert "Dial 988 then press 1" in text  # Veterans
    assert "sms:838255" in links
    assert "Llame al 988 y oprima 2" in text  # Spanish line
    assert "ASL Now" in text
    assert "Text HOME to 741741" in text and "sms:741741?body=HOME" in links
    assert "Call 911 or go to the nearest emergency room" in text and "tel:911" in links
    assert "not monitored around the clock" in text


def test_spanish_block_is_marked_as_spanish(footer):
    spanish = footer.find(class_="crisis-block", attrs={"lang": "es"})
    assert spanish is not None
    text = spanish.get_text(" ")
    assert "988" in text and "911" in text and "oprima" in text
    assert {"tel:988", "tel:911"} <= hrefs(spanish)
    # The Spanish line inside the English list is marked too.
    assert footer.find("li", attrs={"lang": "es"}) is not None


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
