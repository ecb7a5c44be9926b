"""factory_boy factories shared by every app's tests."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from clinic.models import Page


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@clinic.example")
    password = factory.PostGenerationMethodCall("set_password", "a-long-test-password-42")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Page

    slug = factory.Sequence(lambda n: f"page-{n}")
    title = factory.Sequence(lambda n: f"Page {n}")
    summary = "A short summary."
    body = "## A heading\n\nSome text."


# --- blog -----------------------------------------------------------------------------------


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "blog.Category"
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.LazyAttribute(lambda c: c.name.lower().replace(" ", "-"))


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "blog.Tag"
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"tag {n}")
    slug = factory.LazyAttribute(lambda t: t.name.replace(" ", "-"))


class ContributorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "blog.Contributor"

    name = factory.Sequence(lambda n: f"Dr. Reviewer {n}")
    credentials = "MD, psychiatrist"


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published, reviewed article unless told otherwise (status="draft", etc.)."""

    class Meta:
        model = "blog.Article"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Article number {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    summary = "A short summary of the article."
    body = "## Introduction\n\nSome text about treatment.\n\n## More\n\nMore text."
    author = factory.SubFactory(ContributorFactory, name="Editorial team", credentials="")
    reviewer = factory.SubFactory(ContributorFactory)
    status = "published"
    published_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    last_reviewed = factory.LazyFunction(timezone.localdate)
    next_review_due = factory.LazyAttribute(
        lambda a: a.last_reviewed + dt.timedelta(days=365) if a.last_reviewed else None
    )

    @factory.post_generation
    def categories(obj, create, extracted, **kwargs):
        if create:
            default = [CategoryFactory(name="Depression", slug="depression")]
            obj.categories.set(extracted if extracted is not None else default)

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.tags.set(extracted)


class ReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "blog.Reference"

    article = factory.SubFactory(ArticleFactory)
    position = 1
    citation = "Author A, Author B. A study. Journal. 2020;1(1):1-10."
    doi = factory.Sequence(lambda n: f"10.1000/example.{n}")


# --- booking --------------------------------------------------------------------------------


class LocationFactory(factory.django.DjangoModelFactory):
    """A location open every day 09:00–17:00 local, so tests need not pick a weekday."""

    class Meta:
        model = "booking.Location"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Location {n}")
    street_address = "200 Harbor View Drive"
    locality = "Portland"
    region = "ME"
    postal_code = "04101"
    phone = "(555) 010-0199"
    time_zone = "America/New_York"
    capacity = 1
    buffer_minutes = 10
    slot_step_minutes = 30
    min_notice_hours = 2
    horizon_days = 30
    change_cutoff_hours = 24

    @factory.post_generation
    def windows(obj, create, extracted, **kwargs):
        if not create:
            return
        from booking.models import OpeningWindow

        for weekday, start, end in extracted or [(d, dt.time(9), dt.time(17)) for d in range(7)]:
            OpeningWindow.objects.create(location=obj, weekday=weekday, start=start, end=end)


class ConsultationTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "booking.ConsultationType"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Type {n}")
    kind = "phone"
    duration_minutes = 30

    @factory.post_generation
    def locations(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.locations.set(extracted)


PATIENT = {
    "first_name": "Avery",
    "last_name": "Quinn",
    "email": "avery.quinn@example.org",
    "phone": "+12075550123",
    "contact_method": "phone",
    "topic": "depression",
    "message": "",
    "consent_version": "2026-11-v1",
}


def book(location, consultation_type, starts_at, **kwargs):
    """A consultation booked through the service, as a patient would."""
    from booking import services

    return services.consultation_book(
        location=location,
        consultation_type=consultation_type,
        starts_at=starts_at,
        details={**PATIENT, **kwargs.pop("details", {})},
        **kwargs,
    )
