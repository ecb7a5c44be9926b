"""The public site in a real browser at phone and desktop widths, with axe on every page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from mindscape.seed import PAGES, seed_clinic, seed_pages
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


def test_phone_menu_opens_with_the_keyboard(new_page, axe_check, seeded):
    page = new_page(PHONE)
    page.goto("/")
    nav_link = page.get_by_role("link", name="Conditions", exact=True)
    expect(nav_link).to_be_hidden()
    toggler = page.get_by_role("button", name="Menu")
    toggler.focus()
    page.keyboard.press("Enter")
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(nav_link).to_be_visible()
    axe_check(page)
    nav_link.click()
    expect(page).to_have_url(f"{page.url.split('/', 3)[0]}//{page.url.split('/')[2]}/conditions/")


def test_header_search_with_crisis_words_shows_help_first(new_page, axe_check, seeded):
    page = new_page(PHONE)
    page.goto("/")
    page.get_by_role("button", name="Menu").click()
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
