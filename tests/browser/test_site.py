"""The public site in a real browser at phone and desktop widths, with axe on every page."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from clinic.seed import PAGES, seed_clinic, seed_pages
from tests.axe import violations
from tests.conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seeded():
    seed_clinic()
    seed_pages()


URLS = [
    "/",
    *[f"/{spec['slug']}/" for spec in PAGES],
    "/blog/",
    "/consultation/",
    "/search/?q=ketamine",
]


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_every_public_page_is_accessible(new_page, axe_check, seeded, width):
    page = new_page(width)
    for url in URLS:
        response = page.goto(url)
        assert response.status == 200, url
        expect(page.locator("h1")).to_have_count(1)
        # Nothing sticks out sideways on a phone.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{url} scrolls sideways by {overflow}px at {width}px"
        axe_check(page)


@pytest.mark.parametrize("url", URLS)
def test_nothing_scrolls_sideways_at_320px(new_page, seeded, url):
    page = new_page(320)
    page.goto(url)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{url} scrolls sideways by {overflow}px at 320px"


def test_keyboard_focus_is_always_visible(new_page, seeded):
    page = new_page(DESKTOP)
    page.goto("/")
    for _ in range(8):
        page.keyboard.press("Tab")
        outline = page.evaluate(
            "(() => { const s = getComputedStyle(document.activeElement);"
            " return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()"
        )
        assert outline[0] != "none" and outline[1] >= 2, outline


def test_skip_link_moves_focus_to_the_content(new_page, seeded):
    page = new_page(PHONE)
    page.goto("/about/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def open_menu(page):
    """The header menu on a phone: a <details> whose summary reads "Menu"."""
    page.locator("header summary", has_text="Menu").click()


def test_phone_header_is_one_row_and_its_menu_works_without_javascript(new_page, seeded):
    page = new_page(PHONE, java_script_enabled=False)
    page.goto("/about/")
    header = page.locator("header").bounding_box()
    assert header["height"] <= 64, f"the phone header is {header['height']}px tall"
    name = page.locator("header").get_by_role("link", name="MindScape Ketamine")
    call = page.locator("header").get_by_role("link", name="Call")
    menu = page.locator("header summary", has_text="Menu")
    # The short name shows; the link's name stays the full one.
    expect(name.locator(".site-name-short")).to_have_text("MindScape")
    assert name.bounding_box()["width"] < 150
    expect(call).to_have_attribute("href", re.compile(r"^tel:\+?\d+$"))
    rows = {
        round(each.bounding_box()["y"] + each.bounding_box()["height"] / 2) // 20
        for each in (name, call, menu)
    }
    assert len(rows) == 1, "name, call and menu share one row"
    consultation = page.get_by_role("link", name="Free consultation", exact=True)
    expect(consultation).to_be_hidden()
    menu.click()  # one tap: every link, the search and the consultation
    for link in ("Articles", "Conditions", "About", "Contact"):
        expect(page.locator("header").get_by_role("link", name=link, exact=True)).to_be_visible()
    expect(consultation).to_be_visible()
    search = page.get_by_label("What would you like to find?")
    expect(search).to_be_visible()
    search.fill("anxiety")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Search", level=1)).to_be_visible()
    page.goto("/about/")
    open_menu(page)
    consultation.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Request a free consultation")


def test_phone_menu_opens_and_closes_with_the_keyboard(new_page, axe_check, seeded):
    page = new_page(PHONE)
    page.goto("/")
    nav_link = page.get_by_role("link", name="Conditions", exact=True)
    expect(nav_link).to_be_hidden()
    menu = page.locator("header summary", has_text="Menu")
    menu.focus()
    page.keyboard.press("Enter")
    expect(page.locator("header details")).to_have_attribute("open", "")
    expect(nav_link).to_be_visible()
    axe_check(page)
    page.keyboard.press("Escape")  # js/menu.js
    expect(nav_link).to_be_hidden()
    expect(menu).to_be_focused()
    page.keyboard.press("Enter")
    nav_link.click()
    expect(page).to_have_url(re.compile(r"/conditions/$"))


def test_desktop_header_shows_everything_and_the_whole_search_placeholder(new_page, seeded):
    page = new_page(DESKTOP, java_script_enabled=False)
    page.goto("/")
    expect(page.locator("header summary")).to_be_hidden()
    expect(page.get_by_role("link", name="Conditions", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Free consultation", exact=True)).to_be_visible()
    field = page.get_by_role("searchbox", name="What would you like to find?")
    expect(field).to_have_attribute("placeholder", "What would you like to find?")
    room, needed = field.evaluate(
        """input => {
        const s = getComputedStyle(input);
        const room = input.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
        const context = document.createElement('canvas').getContext('2d');
        context.font = `${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
        return [room, context.measureText(input.placeholder).width];
    }"""
    )
    assert needed <= room, f"the placeholder needs {needed:.0f}px, the field has {room:.0f}px"
    header = page.locator("header").bounding_box()
    assert header["height"] <= 80, f"the desktop header is {header['height']}px tall"


def test_header_search_with_crisis_words_shows_help_first(new_page, axe_check, seeded):
    page = new_page(PHONE)
    page.goto("/")
    open_menu(page)
    page.get_by_label("What would you like to find?").first.fill("I don't want to live anymore")
    page.keyboard.press("Enter")
    crisis = page.locator("main .crisis").first
    expect(crisis).to_be_visible()
    call = crisis.get_by_role("link", name="Call 988", exact=True)
    expect(call).to_have_attribute("href", "tel:988")
    box = crisis.bounding_box()
    heading = page.get_by_role("heading", level=1).bounding_box()
    assert box["y"] < heading["y"]  # above the results
    axe_check(page)


def test_spanish_crisis_resources_open_from_the_footer(new_page, axe_check, seeded):
    page = new_page(PHONE)
    page.goto("/")
    # Every page: the compact block, in English and Spanish, and a link to everything.
    compact = page.locator("footer .crisis-compact")
    expect(compact.locator('div[lang="es"]')).to_contain_text("llame al 988 y oprima 2")
    expect(compact).to_contain_text("not monitored in real time")
    axe_check(page)
    compact.get_by_role("link", name="All crisis resources").click()
    spanish = page.locator('main .crisis-block[lang="es"]')
    expect(spanish).to_contain_text("Llame al 988 y oprima 2 para español")
    expect(spanish.get_by_role("link", name="Llamar al 911")).to_be_visible()
    axe_check(page)
    # A booking page: the full block in the footer, its Spanish part folded.
    page.goto(reverse("booking:consultation"))
    summary = page.locator("footer summary", has_text="Recursos de crisis en español")
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.locator('footer [lang="es"] >> text=Llamar al 911')).to_be_visible()
    axe_check(page)


def test_not_found_page_is_branded_and_accessible(new_page, axe_check, seeded):
    page = new_page(PHONE)
    response = page.goto("/no-such-page/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("We could not find that page")
    axe_check(page)


def test_the_axe_run_checks_target_size_and_landmarks(new_page, seeded):
    """The house scan covers WCAG 2.2 AA (2.5.8 target size) and content outside landmarks:
    a page given two tiny buttons and a stray paragraph must fail it."""
    page = new_page(PHONE)
    page.goto("/about/")
    assert violations(page) == []
    page.evaluate(
        """() => {
        const stray = document.createElement('p');
        stray.textContent = 'Text outside every landmark';
        document.body.appendChild(stray);
        for (const label of ['a', 'b']) {
            const button = document.createElement('button');
            button.textContent = label;
            Object.assign(button.style, {width: '12px', height: '12px', padding: '0'});
            document.querySelector('main').appendChild(button);
        }
    }"""
    )
    assert {v["id"] for v in violations(page)} >= {"target-size", "region"}
