"""Form controls can be seen and tapped: every visible text field, select, radio and
checkbox on the booking and screening pages has a boundary of at least 3:1 against what is
behind it (WCAG 1.4.11, which axe does not test); radios and checkboxes are at least 24 px
and the whole row, label included, is the target."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.builders.browser import booking_url, to_questionnaires
from tests.conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each visible control: its border colours against the nearest opaque background behind it
# (WCAG relative luminance), and its size.
MEASURE = """() => {
    const rgba = c => {
        const v = c.match(/[\\d.]+/g).map(Number);
        return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1];
    };
    const over = (top, bottom) =>
        top.slice(0, 3).map((v, i) => v * top[3] + bottom[i] * (1 - top[3]));
    const behind = element => {
        let colour = [255, 255, 255];
        const layers = [];
        for (let e = element; e; e = e.parentElement) {
            const c = rgba(getComputedStyle(e).backgroundColor);
            if (c[3] > 0) layers.push(c);
            if (c[3] === 1) break;
        }
        for (const layer of layers.reverse()) colour = over(layer, colour);
        return colour;
    };
    const luminance = rgb => {
        const [r, g, b] = rgb.map(v => {
            v /= 255;
            return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const ratio = (a, b) => {
        const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
        return (x + 0.05) / (y + 0.05);
    };
    const found = [];
    for (const control of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
        if (control.closest('.form-extra')) continue;  // the spam trap, off screen on purpose
        const box = control.getBoundingClientRect();
        const style = getComputedStyle(control);
        if (!box.width || !box.height || style.visibility === 'hidden') continue;
        const background = behind(control.parentElement);
        let contrast = Infinity;
        for (const side of ['Top', 'Right', 'Bottom', 'Left']) {
            const width = parseFloat(style[`border${side}Width`]);
            const colour = over(rgba(style[`border${side}Color`]), background);
            contrast = Math.min(contrast, width >= 1 ? ratio(colour, background) : 1);
        }
        found.push({name: `${control.name || control.id} ${control.value || ''}`.trim(),
                    type: control.type, contrast, width: box.width, height: box.height});
    }
    return found;
}"""


def assert_controls_can_be_seen(page) -> int:
    controls = page.evaluate(MEASURE)
    assert controls, f"no form controls measured on {page.url}"
    faint = [(c["name"], round(c["contrast"], 2)) for c in controls if c["contrast"] < 3]
    assert not faint, f"boundaries under 3:1 on {page.url}: {faint}"
    small = [
        (c["name"], c["width"], c["height"])
        for c in controls
        if c["type"] in ("radio", "checkbox") and min(c["width"], c["height"]) < 24
    ]
    assert not small, f"radios or checkboxes under 24 px on {page.url}: {small}"
    return len(controls)


def assert_the_row_is_the_target(page, control) -> None:
    """A tap at the far end of the option's row, away from the circle and the words,
    chooses it."""
    row = page.locator(".form-check", has=control).first
    box = row.bounding_box()
    assert box["height"] >= 44, f"the row is {box['height']}px tall"
    row.click(position={"x": box["width"] - 4, "y": box["height"] / 2})
    expect(control).to_be_checked()


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_booking_page_controls_can_be_seen(new_page, clinic_schedule, width):  # noqa: F811
    location, consultation_type = clinic_schedule
    page = new_page(width)
    page.goto(booking_url(location, consultation_type))
    assert assert_controls_can_be_seen(page) > 10
    assert_the_row_is_the_target(page, page.get_by_label("Text message"))
    page.get_by_role("button", name="Book this consultation").click()  # errors shown
    expect(page.locator(".error-summary")).to_be_visible()
    assert_controls_can_be_seen(page)
    page.goto(reverse("booking:callback"))
    assert_controls_can_be_seen(page)


def test_screening_page_controls_can_be_seen(new_page):
    page = new_page(PHONE)
    to_questionnaires(page, assert_controls_can_be_seen)
    assert assert_controls_can_be_seen(page) > 20  # PHQ-9 and GAD-7
    answer = page.locator('[name="phq9_q1"][value="2"]')
    assert_the_row_is_the_target(page, answer)
