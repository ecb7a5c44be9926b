"""The patient's side: choose, pick a time, give contact details, then manage by link.

POST → redirect → GET throughout.  Every response here is ``no-store`` (the project's
default); manage links carry a signed token, never personal data, and views that take
personal data hide it from error reports.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.text import slugify
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from clinic.facts import facts
from mindscape import antispam

from . import ics, links, opentimes, schedule, services, staff_feed, zones
from .availability import Slot
from .forms import BookingForm, CallbackForm, CancelForm, ChooseForm, SlotForm
from .models import Consultation, Location, Topic

logger = logging.getLogger(__name__)
SESSION_KEY = "booking_confirmed"
# The confirmation is shown once: the redirect that leads to it sets this cookie, the page
# deletes it, and without it the address shows the booking form.  A reload, or the next
# person on a shared phone, never sees the last patient's booking and private link.
ONCE_COOKIE = "booking_once"
ONCE_SECONDS = 600
DAYS_SHOWN = 14  # days with open times shown at once; "later times" pages on


class SlotChoice(NamedTuple):
    value: str  # the instant in UTC, as the form sends it back
    label: str  # "10:00 AM": the zone is said once, above the times
    fixed: bool  # inside the change cut-off: can't be moved or cancelled online once booked


@dataclass
class SlotDay:
    day: dt.date
    choices: list[SlotChoice]

    @property
    def id(self) -> str:
        return f"day-{self.day.isoformat()}"


def slot_value(slot: Slot) -> str:
    return slot.start.astimezone(dt.UTC).isoformat()


def slot_label(start: dt.datetime, location: Location) -> str:
    return f"{start.astimezone(location.zone):%-I:%M %p}"


def when_label(start: dt.datetime, location: Location) -> str:
    """ "Wednesday, December 2, 2026 at 10:00 AM Eastern Time (New York)"."""
    local = start.astimezone(location.zone)
    return f"{local:%A, %B %-d, %Y at %-I:%M %p} {zones.long_name(location.time_zone)}"


def deadline_label(consultation: Consultation) -> str:
    """ "9:00 AM Eastern Time on Thursday, December 3": the last moment to change online."""
    location = consultation.location
    local = consultation.change_deadline().astimezone(location.zone)
    return f"{local:%-I:%M %p} {zones.short_name(location.time_zone)} on {local:%A, %B %-d}"


def mask_email(address: str) -> str:
    """ "a•••@example.org": enough for the patient to recognise, little for anyone else."""
    local, _, domain = address.rpartition("@")
    if not local:
        return "•••"
    return f"{local[0]}•••@{domain}"


def group_by_day(
    slots: list[Slot],
    location: Location,
    days: int = DAYS_SHOWN,
    *,
    fixed_before: dt.datetime | None = None,
) -> list[SlotDay]:
    """Slots by local day; those starting before ``fixed_before`` (now plus the change
    cut-off) are marked: once booked they can't be changed online."""
    grouped: list[SlotDay] = []
    for slot in slots:
        day = slot.start.astimezone(location.zone).date()
        if not grouped or grouped[-1].day != day:
            if len(grouped) == days:
                break
            grouped.append(SlotDay(day, []))
        fixed = fixed_before is not None and slot.start < fixed_before
        grouped[-1].choices.append(
            SlotChoice(slot_value(slot), slot_label(slot.start, location), fixed)
        )
    return grouped


def change_cutoff(location: Location, now: dt.datetime | None = None) -> dt.datetime:
    """Times starting before this can't be moved or cancelled online once booked."""
    return (now or timezone.now()) + dt.timedelta(hours=location.change_cutoff_hours)


# Rendered days of open times, by what they show (see ``slot_days``): rendering some 200
# radio buttons is most of the booking page's time.  Per process, bounded; the keys carry
# the location's generation token, so an entry is never shown after the times changed.
_days_rendered: dict[tuple, tuple[str, list[tuple[str, str]]]] = {}
DAYS_RENDERED_KEPT = 64  # some 70 KB each: a few MB per worker at most


def slot_days(
    slots: list[Slot], location: Location, fixed_before: dt.datetime, checked: str | None
) -> tuple[str, list[tuple[str, str]]]:
    """The slot picker's days as HTML, and the (value, label) choices they offer."""
    days = group_by_day(slots, location, fixed_before=fixed_before)
    html = render_to_string(
        "booking/_slot_days.html", {"days": days, "slot_name": "slot", "checked": checked}
    )
    return html, [(c.value, c.label) for day in days for c in day.choices]


def _open_days(location, consultation_type, now, fixed_before, checked):
    """The booking page's days, from the cached open times (``booking.opentimes``); the
    same days shown at the same moment keep their HTML."""
    times, begin, end = opentimes.open_slots(location, consultation_type, now)
    fixed_end = max(begin, times.bounds(fixed_before, fixed_before)[0])
    memo_key = (times.key, begin, end, fixed_end, location.time_zone)
    kept = _days_rendered.get(memo_key) if checked is None and times.key else None
    if kept is not None:
        return kept
    shown = slot_days(times.slots(begin, end), location, fixed_before, checked)
    if checked is None and times.key:
        if len(_days_rendered) >= DAYS_RENDERED_KEPT:
            _days_rendered.clear()
        _days_rendered[memo_key] = shown
    return shown


# The contact details' fields of a form not yet sent, by topic (see ``details_fields``).
_details_rendered: dict[str, str] = {}


def details_fields(form: BookingForm) -> str:
    """The contact details' fields of a form not yet sent, rendered once per process for
    each topic asked (the one thing that differs between visitors): crispy-forms takes a
    third of the booking page's time otherwise.  "" for a form sent back, rendered live."""
    if form.is_bound:
        return ""
    topic = str(form.initial.get("topic", ""))
    html = _details_rendered.get(topic)
    if html is None:
        html = _details_rendered[topic] = render_to_string(
            "booking/_details_fields.html", {"form": form}
        )
    return html


def _slot_context(form, location, consultation_type, *, exclude=None, highlight=()) -> dict:
    now = timezone.now()
    fixed_before = change_cutoff(location, now)
    checked = form["slot"].value() or None
    if exclude is None:
        days_html, choices = _open_days(location, consultation_type, now, fixed_before, checked)
    else:  # the move page: without the patient's own booking, so made for this request
        slots = schedule.open_slots(location, consultation_type, now=now, exclude=exclude)
        days_html, choices = slot_days(slots, location, fixed_before, checked)
    form.fields["slot"].widget.choices = choices
    return {
        "days_html": days_html,
        "location": location,
        "consultation_type": consultation_type,
        "zone_key": location.time_zone,
        "zone_name": zones.long_name(location.time_zone),
        "nearest": [
            SlotChoice(slot_value(s), when_label(s.start, location), s.start < fixed_before)
            for s in highlight
        ],
    }


def _source_article(request) -> str:
    return slugify(request.GET.get("from", ""))[:50]


def _rate_limited(request, form, *, phone: str = "") -> bool:
    """Count this valid submission; when over a limit, say so at the top of the form (which
    is then shown again with everything typed) and return True."""
    try:
        antispam.check_rate_limits(request, email=form.cleaned_data["email"])
    except antispam.RateLimited as limited:
        form.add_error(None, limited.message(phone=phone or facts().phone))
        return True
    return False


@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters()
def consultation(request):
    """Choose type and location (GET form), then a time and contact details (POST)."""
    choose = ChooseForm(request.GET if {"type", "location"} & request.GET.keys() else None)
    if not choose.is_valid() or choose.cleaned_data["location"] is None:
        # The first question, or the second (which location's team) when it must be asked.
        return render(request, "booking/choose.html", {"choose": choose})

    location, consultation_type = choose.cleaned_data["location"], choose.cleaned_data["type"]
    interest = request.GET.get("interest", "")
    initial = {"topic": interest if interest in Topic.values else Topic.OTHER}
    form = BookingForm(request.POST or None, initial=initial)
    highlight = []
    status = 200
    if request.method == "POST" and form.is_valid():
        already = services.consultation_with_key(form.cleaned_data["idempotency_key"])
        if already is not None:  # this very form was sent before: it is booked
            return _show_booked(request, already)
        if _rate_limited(request, form, phone=location.phone):
            status = 429
        else:
            try:
                booked = services.consultation_book(
                    location=location,
                    consultation_type=consultation_type,
                    starts_at=form.cleaned_data["slot"],
                    details=form.details(source_article=_source_article(request)),
                    idempotency_key=form.cleaned_data["idempotency_key"],
                )
            except services.SlotUnavailable as error:
                form.add_error("slot", f"{error} The nearest free times are listed first below.")
                highlight = error.alternatives
            except services.BookingError as error:
                form.add_error("slot", str(error))
            else:
                return _show_booked(request, booked)
    context = {
        "form": form,
        "choose": choose,
        "details_html": details_fields(form),
        **_slot_context(form, location, consultation_type, highlight=highlight),
    }
    return render(request, "booking/book.html", context, status=status)


def _show_booked(request, consultation: Consultation):
    """Send the patient to the confirmation of a booking made (or found by its form's key).

    The session remembers which booking, and the confirmation page reads it there: nothing
    that identifies the booking goes into a URL.  The booking is already committed, so if
    the session cannot be written the confirmation is shown in this very response instead:
    an error page would make the patient book a second time.  The redirect also carries a
    one-time cookie (``ONCE_COOKIE``) that the confirmation page spends.
    """
    once = secrets.token_urlsafe(16)
    request.session[SESSION_KEY] = {"pk": consultation.pk, "once": once}
    try:
        request.session.save()
    except Exception:  # any failure: the booking stands and must be shown
        logger.exception("Booking confirmation: the session could not be saved")
        request.session.modified = False  # the session middleware must not fail the page
        return _confirmation(request, consultation)
    response = redirect("booking:confirmed")
    response.set_cookie(
        ONCE_COOKIE,
        once,
        max_age=ONCE_SECONDS,
        path=reverse("booking:confirmed"),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def _confirmation(request, consultation: Consultation):
    context = _manage_context(request, consultation, links.manage_token(consultation))
    context["sent_to"] = mask_email(consultation.email)
    return render(request, "booking/confirmed.html", context)


@require_safe
def confirmed(request):
    """The booking just made, shown once (see ``ONCE_COOKIE``); otherwise the booking form."""
    remembered = request.session.get(SESSION_KEY)
    once = request.COOKIES.get(ONCE_COOKIE, "")
    consultation = None
    if (
        isinstance(remembered, dict)
        and once
        and constant_time_compare(once, str(remembered.get("once", "")))
    ):
        consultation = (
            Consultation.objects.select_related("location", "consultation_type")
            .filter(pk=remembered.get("pk"))
            .first()
        )
    response = (
        redirect("booking:consultation")
        if consultation is None
        else _confirmation(request, consultation)
    )
    response.delete_cookie(ONCE_COOKIE, path=reverse("booking:confirmed"), samesite="Lax")
    return response


def _manage_context(request, consultation: Consultation, token: str) -> dict:
    manage_path = reverse("booking:manage", kwargs={"token": token})
    return {
        "manage_token": token,
        "consultation": consultation,
        "when": when_label(consultation.starts_at, consultation.location),
        "where": ics.where(consultation),
        "manage_path": manage_path,
        "can_change": consultation.patient_can_change(),
        "deadline": deadline_label(consultation),
        "shows_crisis": consultation.crisis_flag,
        # The screening form's link itself comes from intake's {% screening_url %} tag.
        "offers_screening": consultation.status == Consultation.Status.BOOKED,
    }


def _from_link(request, token: str):
    """The consultation for a manage link, or the page that explains why not."""
    try:
        return links.consultation_for(token), None
    except links.LinkExpired:
        return None, render(request, "booking/link_problem.html", {"expired": True}, status=410)
    except links.LinkInvalid:
        return None, render(request, "booking/link_problem.html", {"expired": False}, status=404)


@require_safe
def manage(request, token: str):
    consultation, problem = _from_link(request, token)
    if problem:
        return problem
    return render(request, "booking/manage.html", _manage_context(request, consultation, token))


@require_http_methods(["GET", "HEAD", "POST"])
def move(request, token: str):
    consultation, problem = _from_link(request, token)
    if problem:
        return problem
    manage_path = reverse("booking:manage", kwargs={"token": token})
    if not consultation.patient_can_change():
        return redirect(manage_path)
    form = SlotForm(request.POST or None)
    highlight = []
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_reschedule(
                consultation=consultation, starts_at=form.cleaned_data["slot"]
            )
        except services.SlotUnavailable as error:
            form.add_error("slot", f"{error} The nearest free times are listed first below.")
            highlight = error.alternatives
        except services.BookingError as error:
            form.add_error("slot", str(error))
        else:
            messages.success(request, "Your consultation has been moved.")
            return redirect(manage_path)
    context = {
        "form": form,
        **_manage_context(request, consultation, token),
        **_slot_context(
            form,
            consultation.location,
            consultation.consultation_type,
            exclude=consultation,
            highlight=highlight,
        ),
    }
    return render(request, "booking/move.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters()
def cancel(request, token: str):
    consultation, problem = _from_link(request, token)
    if problem:
        return problem
    manage_path = reverse("booking:manage", kwargs={"token": token})
    if not consultation.patient_can_change():
        return redirect(manage_path)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_cancel(
                consultation=consultation, reason=form.cleaned_data["reason"]
            )
        except services.BookingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Your consultation has been cancelled.")
        return redirect(manage_path)
    return render(
        request,
        "booking/cancel.html",
        {"form": form, **_manage_context(request, consultation, token)},
    )


@require_safe
def calendar_file(request, token: str):
    consultation, problem = _from_link(request, token)
    if problem:
        return problem
    clinic = facts()
    response = HttpResponse(
        ics.consultation_calendar(consultation, clinic_name=clinic.name, phone=clinic.phone),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="mindscape-consultation.ics"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters()
def callback(request):
    """ "None of these times work — call me back"."""
    interest = request.GET.get("interest", "")
    initial = {"topic": interest if interest in Topic.values else Topic.OTHER}
    form = CallbackForm(request.POST or None, initial=initial)
    location_id = request.GET.get("location", "")
    # ASCII digits only: str.isdigit() also accepts "²" or "٣", which int() then refuses.
    location = (
        Location.objects.filter(pk=int(location_id), is_active=True).first()
        if re.fullmatch(r"[0-9]{1,18}", location_id)
        else None
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        if _rate_limited(request, form, phone=location.phone if location else ""):
            status = 429
        else:
            callback_request = services.callback_request_create(
                details=form.details(source_article=_source_article(request)),
                location=location,
                preferred_days=form.cleaned_data["preferred_days"],
                preferred_times=form.cleaned_data["preferred_times"],
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
            request.session["callback_crisis"] = callback_request.crisis_flag
            return redirect("booking:callback-thanks")
    return render(request, "booking/callback.html", {"form": form}, status=status)


@require_safe
def callback_thanks(request):
    return render(
        request,
        "booking/callback_thanks.html",
        {"shows_crisis": request.session.pop("callback_crisis", False)},
    )


@require_safe
def staff_calendar(request, token: str):
    """A staff member's private calendar subscription: "Consultation" and a reference."""
    feed = staff_feed.feed_for(token)
    if feed is None:
        raise Http404
    type(feed).objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    response = HttpResponse(staff_feed.feed_calendar(), content_type="text/calendar; charset=utf-8")
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
