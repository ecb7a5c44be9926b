"""Demo content for the clinic: office hours and static pages (``manage.py seed_demo``).

Idempotent: running it again changes nothing staff have edited.
"""

from __future__ import annotations

import datetime as dt

from .models import Clinic, OfficeHours, Page

DEMO_NOTE = (
    "\n\n*Demonstration text written for this website's development; the clinic will "
    "replace it before launch.*"
)

PAGES: list[dict] = [
    {
        "slug": "about",
        "title": "About MindScape",
        "summary": "Who we are, how we work, and what to expect from our ketamine and infusion therapy clinic.",
        "body": """
MindScape is a small outpatient clinic offering ketamine infusion therapy for people whose
depression, anxiety, PTSD, OCD or chronic pain has not improved enough with other treatments.

## How we work

- **Every plan starts with a conversation.** Your free consultation is a chance to ask
  questions and for us to understand what you have already tried.
- **Screening comes before treatment.** A clinician reviews standard questionnaires, your
  medical history and your medications before recommending anything.
- **Treatment is supervised.** Infusions are given in a calm, private room with monitoring
  throughout and a clinician on site.
- **We work alongside your care team.** With your permission, we keep your psychiatrist,
  therapist or primary care doctor informed.

## What we will not do

We will not promise results. Ketamine does not help everyone, and no one can tell in
advance who it will help. We will explain the evidence honestly, including its limits.
""",
    },
    {
        "slug": "conditions",
        "title": "Conditions we treat",
        "summary": "Ketamine therapy may be considered for treatment-resistant depression, anxiety, PTSD, OCD and some chronic pain conditions.",
        "body": """
Ketamine is not a first treatment for any of these conditions. It is usually considered
when standard treatments have not helped enough.

## Depression

Including depression that has not improved after two or more antidepressant trials. This
is where the research on ketamine is strongest.

## Anxiety

Research on ketamine for anxiety is at an earlier stage and far more limited than for
depression, and no ketamine product is FDA-approved for it.

## Post-traumatic stress disorder (PTSD)

Research on ketamine for PTSD is limited, its results are mixed, and no ketamine product
is FDA-approved for it. We discuss the uncertainty openly.

## Obsessive-compulsive disorder (OCD)

Research is limited to small studies. We discuss the uncertainty openly.

## Chronic pain

Including some nerve-related pain conditions, where ketamine has been used for many years
at different doses from those used for mood.

If you are unsure whether your situation fits, a free consultation is the easiest way to find out.
""",
    },
    {
        "slug": "faq",
        "title": "Frequently asked questions",
        "summary": "Answers to common questions about ketamine infusion therapy, consultations, costs and safety.",
        "body": """
## Is the consultation really free?

Yes. It is a conversation, not a treatment, and there is no obligation afterwards.

## Do I need a referral?

No, although we may ask to speak with your current doctor or therapist, with your permission.

## Is ketamine approved for depression?

Esketamine, a nasal spray related to ketamine, is approved by the FDA for treatment-resistant
depression. Intravenous ketamine is approved as an anesthetic, and its use for depression
is "off-label": a common and legal practice, which we will explain in your consultation.

## Will I be asleep during an infusion?

No. The doses used are far lower than for anesthesia. Many people feel relaxed, detached or
dreamy for a while, and you will need someone to drive you home.

## Can I keep taking my medications?

Please do not stop or change any medication without talking to your prescriber. Some
medicines affect ketamine, and we will review them with you.

## Is my information private?

Yes. See our [privacy notice](/privacy/) for what we collect and how we protect it.
""",
    },
    {
        "slug": "contact",
        "title": "Contact and location",
        "summary": "How to reach MindScape by phone or email, our address and office hours.",
        "show_contact_details": True,
        "body": """
We are happy to answer questions by phone during office hours, and we reply to email within
one business day.

## Getting here

The clinic is on the third floor, with an elevator from the main entrance. Free parking is
available behind the building; after an infusion, someone else will need to drive you home.

## Please do not use email for emergencies

Our email and website forms are not monitored in real time. If you are in crisis, call
or text 988, or call 911.
""",
    },
    {
        "slug": "privacy",
        "title": "Privacy notice",
        "summary": "What information MindScape collects on this website, why, how it is protected and your choices.",
        "body": """
## What this website collects

- **Reading articles:** nothing that identifies you. There are no trackers, advertising
  cookies, third-party scripts or external fonts on any page.
- **Searching:** when a search finds nothing, we keep the words searched (never who searched)
  so we can write the articles people need. Searches that look like personal details or a
  crisis are never kept.
- **Requesting a consultation:** your name and contact details, so we can reach you.
- **Health screening:** your answers, so a clinician can review them before your visit.

## How we protect it

Everything travels over an encrypted connection. Screening answers are encrypted again in
our database, only clinicians can read them, and every time staff open a record it is
logged. We never put health information in emails or web addresses.

## How long we keep it

Screenings from people who do not become patients are deleted after a set period.
Consultation requests are anonymised once they are no longer needed.

## Your choices

You can ask to see, correct or delete your information by calling or emailing us.
""",
    },
    {
        "slug": "accessibility",
        "title": "Accessibility statement",
        "summary": "Our commitment to making this website usable by everyone, and how to tell us about a problem.",
        "body": """
We want everyone to be able to use this website, including people who use screen readers,
keyboards, magnification or voice control.

## What we aim for

This website aims to meet the Web Content Accessibility Guidelines (WCAG) 2.1 at level AA.
Every page is checked automatically with accessibility tools as part of our testing, and
pages work on screens as narrow as 320 pixels.

## Features

- A "skip to main content" link at the top of each page.
- Every page, form and button can be used with a keyboard alone, with a visible focus outline.
- Text and buttons meet colour-contrast guidelines.
- Forms say clearly what went wrong and keep what you typed.
- Crisis resources are available in English and Spanish on every page.

## Tell us about a problem

If something does not work for you, please call or email us and we will help you another way
and fix the problem.
""",
    },
]

DEMO_HOURS = [(day, dt.time(9), dt.time(17)) for day in range(5)] + [(5, dt.time(9), dt.time(13))]


def seed_clinic() -> None:
    clinic = Clinic.load()
    if not clinic.hours.exists():
        OfficeHours.objects.bulk_create(
            OfficeHours(clinic=clinic, weekday=day, opens=opens, closes=closes)
            for day, opens, closes in DEMO_HOURS
        )
        clinic.save()  # refreshes the cached facts


def seed_pages() -> int:
    created = 0
    for spec in PAGES:
        defaults = {**spec, "body": spec["body"].strip() + DEMO_NOTE}
        slug = defaults.pop("slug")
        _, was_created = Page.objects.get_or_create(slug=slug, defaults=defaults)
        created += was_created
    return created
