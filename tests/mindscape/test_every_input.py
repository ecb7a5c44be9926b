"""Every input gets an answer, never a 500 (property-based, with Hypothesis).

* Every public GET page: random strings, numbers and unicode in each query parameter it
  reads, the others kept valid (100 examples per parameter).
* The booking, call-back and screening forms: random values in each field, sent with a valid
  CSRF token and start time, the rate limits raised (100 examples per form).  What an
  example books or drafts is cleaned up before the next.

A view that raises fails the test with its traceback (the test client re-raises); any 5xx
answer fails it too.  Deterministic (``derandomize``, no example database).
"""

from __future__ import annotations

import re
import time
import uuid

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from booking import links as booking_links
from booking.models import CallbackRequest, Consultation
from intake import links as intake_links
from intake.models import Screening
from intake.views import ACTIVE_KEY, SESSION_KEY
from tests.booking.conftest import NOW, at
from tests.builders.booking import form_data
from tests.builders.intake import ABOUT, CSSRS_NO, HISTORY, medical_data, questionnaire_data
from tests.factories import (
    ArticleFactory,
    CategoryFactory,
    ConsultationTypeFactory,
    LocationFactory,
    TagFactory,
    book,
)

pytestmark = pytest.mark.django_db

EXAMPLES = hypothesis_settings(
    max_examples=100,
    deadline=None,
    derandomize=True,  # the same examples every run
    database=None,  # nothing written to .hypothesis/
    # The fixtures (database rows, clients) are set up once per test and shared by its
    # examples on purpose; each example cleans up what it made.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
UNLIMITED = (1_000_000, 3600)

# Strings, numbers and unicode: any text (NUL and other controls included), integers and
# floats far past any column's range, digits of every script ("²", "٣"), and known trouble.
ANY = st.one_of(
    st.text(max_size=60),
    st.integers().map(str),
    st.integers(min_value=10**18, max_value=10**40).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.text(alphabet=st.characters(categories=["Nd", "No", "Nl"]), min_size=1, max_size=8),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "ketamine\x00",
            "-1",
            "0",
            "99999999999999999999",
            "1e309",
            "²",
            "9999-12-31T23:59:59-23:59",
            "0001-01-01T00:00:00+23:59",
            "0001-01-01",
            "9999-12-31",
            "'; DROP TABLE x; --",
            "<script>alert(1)</script>",
            "%00",
            "a" * 5000,
        ]
    ),
)
ANY_OR_LIST = st.one_of(ANY, st.lists(ANY, max_size=3))


def assert_answered(response, what) -> None:
    assert response.status_code < 500, (what, response.status_code)


# --- Public GET pages ------------------------------------------------------------------------


@pytest.fixture
def site(db):
    location = LocationFactory()
    phone_call = ConsultationTypeFactory(name="Phone call", locations=[location])
    category = CategoryFactory(name="Anxiety", slug="anxiety")
    tag = TagFactory()
    for n in range(12):  # two pages of results for "ketamine"
        ArticleFactory(title=f"Ketamine and anxiety {n}", categories=[category], tags=[tag])
    return {"location": location, "type": phone_call, "category": category, "tag": tag}


def get_cases(site) -> dict[str, tuple[str, dict[str, str], list[str]]]:
    """name → (path, the valid parameters, the parameters the page reads).  The home page
    reads none: a stray "page" stands for the parameters links and trackers add; the
    article, static page and feed addresses read none either, and stray ones are ignored
    the same way."""
    chosen = {"type": str(site["type"].pk), "location": str(site["location"].pk)}
    return {
        "home": (reverse("home"), {}, ["page"]),
        "search": (reverse("blog:search"), {"q": "ketamine"}, ["q", "page"]),
        "articles": (reverse("blog:list"), {}, ["page"]),
        "category": (
            reverse("blog:category", kwargs={"slug": site["category"].slug}),
            {},
            ["page"],
        ),
        "tag": (reverse("blog:tag", kwargs={"slug": site["tag"].slug}), {}, ["page"]),
        "sitemap": ("/sitemap.xml", {}, ["p"]),
        "consultation": (
            reverse("booking:consultation"),
            chosen,
            ["type", "location", "interest", "from"],
        ),
        "call-back": (
            reverse("booking:callback"),
            {"location": chosen["location"]},
            ["location", "interest", "from"],
        ),
        "screening form": (reverse("intake:start"), {}, ["c"]),
    }


GET_PARAMETERS = [
    ("home", "page"),
    ("search", "q"),
    ("search", "page"),
    ("articles", "page"),
    ("category", "page"),
    ("tag", "page"),
    ("sitemap", "p"),
    ("consultation", "type"),
    ("consultation", "location"),
    ("consultation", "interest"),
    ("consultation", "from"),
    ("call-back", "location"),
    ("call-back", "interest"),
    ("call-back", "from"),
    ("screening form", "c"),
]


def test_the_cases_cover_every_parameter_each_page_reads(site):
    cases = get_cases(site)
    listed = {(page, name) for page, (_, _, names) in cases.items() for name in names}
    assert listed == set(GET_PARAMETERS)


@pytest.mark.parametrize(("page", "parameter"), GET_PARAMETERS)
@EXAMPLES
@given(value=ANY)
def test_every_query_parameter_gets_an_answer(client, site, page, parameter, value):
    path, valid, _ = get_cases(site)[page]
    response = client.get(path, {**valid, parameter: value})
    assert_answered(response, (page, parameter, value))


# --- Forms -----------------------------------------------------------------------------------


@pytest.fixture
def raised_limits(settings):
    settings.ANTISPAM_RATE_LIMITS = {"ip": UNLIMITED, "email": UNLIMITED}
    settings.INTAKE_RATE_LIMITS = {"ip": UNLIMITED, "email": UNLIMITED}


def page_tokens(client: Client, path: str) -> dict[str, str]:
    """The CSRF token (its cookie is now in the client) and, where the form has one, the
    signed start time, as a browser would send them back."""
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    html = response.content.decode()
    tokens = {
        "csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    }
    started = re.search(r'name="form_started" value="([^"]+)"', html)
    if started:
        tokens["form_started"] = started[1]
    return tokens


def fields(valid: dict, *, honeypot: bool) -> st.SearchStrategy[dict]:
    """Each field either its valid value or anything at all (lists for every field too)."""
    strategies = {name: st.one_of(st.just(value), ANY_OR_LIST) for name, value in valid.items()}
    if honeypot:
        strategies["website"] = st.one_of(st.just(""), ANY)
    return st.fixed_dictionaries(strategies)


@pytest.fixture
def patient_client(raised_limits):
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def frozen_clinic(db):
    with time_machine.travel(NOW, tick=False):
        location = LocationFactory()
        phone_call = ConsultationTypeFactory(name="Phone call", locations=[location])
        yield location, phone_call


BOOKING_VALID = {
    **form_data(at(2, 10)),
    "message": "Hello there",
    "idempotency_key": "2b0f7d4e-8a44-4a55-9a43-63e1b1f6f0a1",
}
CALLBACK_VALID = {
    **{k: v for k, v in BOOKING_VALID.items() if k != "slot"},
    "preferred_days": ["1", "3"],
    "preferred_times": ["morning"],
}


@EXAMPLES
@given(data=fields(BOOKING_VALID, honeypot=True), key=st.uuids())
def test_the_booking_form_answers_any_value(patient_client, frozen_clinic, data, key):
    location, phone_call = frozen_clinic
    path = f"{reverse('booking:consultation')}?type={phone_call.pk}&location={location.pk}"
    if data["idempotency_key"] == BOOKING_VALID["idempotency_key"]:
        data = {**data, "idempotency_key": str(key)}
    response = patient_client.post(path, {**data, **page_tokens(patient_client, path)})
    assert_answered(response, data)
    Consultation.objects.all().delete()


@EXAMPLES
@given(slot=ANY_OR_LIST)
def test_the_move_form_answers_any_value(patient_client, frozen_clinic, slot):
    location, phone_call = frozen_clinic
    booked = book(location, phone_call, at(3, 10))
    path = reverse("booking:move", kwargs={"token": booking_links.manage_token(booked)})
    response = patient_client.post(path, {"slot": slot, **page_tokens(patient_client, path)})
    assert_answered(response, slot)
    Consultation.objects.all().delete()


@EXAMPLES
@given(data=fields(CALLBACK_VALID, honeypot=True), key=st.uuids())
def test_the_call_back_form_answers_any_value(patient_client, frozen_clinic, data, key):
    location, _ = frozen_clinic
    path = f"{reverse('booking:callback')}?location={location.pk}"
    data = {**data, "idempotency_key": str(key)} if data["idempotency_key"] else data
    response = patient_client.post(path, {**data, **page_tokens(patient_client, path)})
    assert_answered(response, data)
    CallbackRequest.objects.all().delete()


# The screening form: the gate, then every step of a draft whose earlier steps are done.

INTAKE_STEPS = {
    "about": ABOUT,
    "history": HISTORY,
    "questionnaires": questionnaire_data(),
    "cssrs": CSSRS_NO,
    "medical": medical_data(ride_home="yes"),
    "review": {"consent": "on", "signature": "Ada Lovelace"},
}


@pytest.fixture
def finished_draft(raised_limits):
    """A draft with every step but the review done (as a patient's would be), to copy."""
    client = Client()
    client.post(reverse("intake:start"), {"adult": "yes"})
    for code, data in INTAKE_STEPS.items():
        if code != "review":
            response = client.post(reverse("intake:step", kwargs={"code": code}), data)
            assert response.status_code == 302, code
    return Screening.objects.get()


def with_draft(client: Client, template: Screening) -> Screening:
    """A fresh copy of the template draft, in the client's session."""
    draft = Screening.objects.create(identity=template.identity, answers=template.answers)
    session = client.session
    session[SESSION_KEY] = draft.pk
    session[ACTIVE_KEY] = int(time.time())  # just used: not closed for inactivity
    session.save()
    return draft


@EXAMPLES
@given(data=fields({"adult": "yes"}, honeypot=True))
def test_the_screening_gate_answers_any_value(patient_client, data):
    path = reverse("intake:start")
    response = patient_client.post(path, {**data, **page_tokens(patient_client, path)})
    assert_answered(response, data)
    Screening.objects.all().delete()


@pytest.mark.parametrize("code", list(INTAKE_STEPS))
@EXAMPLES
@given(data=st.data())
def test_each_screening_step_answers_any_value(patient_client, finished_draft, code, data):
    draft = with_draft(patient_client, finished_draft)
    values = data.draw(fields(INTAKE_STEPS[code], honeypot=code == "about"))
    path = reverse("intake:step", kwargs={"code": code})
    response = patient_client.post(path, {**values, **page_tokens(patient_client, path)})
    assert_answered(response, values)
    Screening.objects.filter(pk=draft.pk).delete()


@EXAMPLES
@given(data=fields({"date_of_birth": "1990-02-03"}, honeypot=False))
def test_the_resume_form_answers_any_value(patient_client, finished_draft, data):
    draft = with_draft(patient_client, finished_draft)
    path = reverse(
        "intake:resume", kwargs={"token": intake_links.resume_link_create(screening=draft)}
    )
    response = patient_client.post(path, {**data, **page_tokens(patient_client, path)})
    assert_answered(response, data)
    Screening.objects.filter(pk=draft.pk).delete()


def test_the_valid_values_reach_the_services(patient_client, frozen_clinic, finished_draft):
    """The valid values above really book, ask for a call back and send the screening, so
    the examples that keep them reach the services, not only the forms' checks."""
    location, phone_call = frozen_clinic
    path = f"{reverse('booking:consultation')}?type={phone_call.pk}&location={location.pk}"
    data = {**BOOKING_VALID, "idempotency_key": str(uuid.uuid4())}
    response = patient_client.post(path, {**data, **page_tokens(patient_client, path)})
    assert response.status_code == 302 and Consultation.objects.count() == 1
    path = reverse("booking:callback")
    data = {**CALLBACK_VALID, "idempotency_key": str(uuid.uuid4())}
    response = patient_client.post(path, {**data, **page_tokens(patient_client, path)})
    assert response.status_code == 302 and CallbackRequest.objects.count() == 1
    draft = with_draft(patient_client, finished_draft)
    path = reverse("intake:step", kwargs={"code": "review"})
    data = {**INTAKE_STEPS["review"], **page_tokens(patient_client, path)}
    assert patient_client.post(path, data).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Screening.Status.SUBMITTED
