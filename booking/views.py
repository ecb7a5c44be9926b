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

from . import ics, links, opentimes, schedule, services, slots, staff_feed, zones
from .forms import BookingForm, CallbackForm, CancelForm, ChooseForm, SlotForm
from .models import Consultation, ConsultationType, Location, Topic

logger = logging.getLogger(__name__)
SESSION_KEY = "booking_confirmed"
# The confirmation is shown once: the redirect that leads to it sets this cookie, the page
# deletes it, and without it the address shows the booking form.  A reload, or the next
# person on a shared phone, never sees the last patient's booking and private link.
ONCE_COOKIE = "booking_once"
ONCE_SECONDS = 600


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


# The contact details' fields of a form not yet sent, by topic (see ``details_fields``).
_details_rendered: dict[str, str] = {}


def forget_details() -> None:
    """Empty this process's fields (a template changed under the development server)."""
    _details_rendered.clear()


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


def _slot_context(
    form, location, consultation_type, *, exclude=None, highlight=(), token=opentimes.READ
) -> dict:
    now = timezone.now()
    fixed_before = slots.change_cutoff(location, now)
    checked = form["slot"].value() or None
    if exclude is None:
        days_html = slots.open_days(location, consultation_type, now, fixed_before, checked, token)
    else:  # the move page: without the patient's own booking, so made for this request
        shown = schedule.open_slots(location, consultation_type, now=now, exclude=exclude)
        days_html = slots.slot_days(shown, location, fixed_before, checked)
    return {
        "days_html": days_html,
        "location": location,
        "consultation_type": consultation_type,
        "zone_key": location.time_zone,
        "zone_name": zones.long_name(location.time_zone),
        "nearest": [
            slots.SlotChoice(
                slots.slot_value(s), when_label(s.start, location), s.start < fixed_before
            )
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


# The type and location of a valid choice, by (type id, location id, the location's open-times
# token), for the booking page's GET: the token changes with every write to the location's
# row, to which types it offers and to any type (booking.opentimes' triggers), so an entry
# is what ChooseForm would answer for as long as that token is read.  Per process, bounded.
_chosen: dict[tuple[int, int, str], tuple[ConsultationType, Location]] = {}
CHOSEN_KEPT = 64
_ID = re.compile(r"[0-9]{1,18}")  # ASCII digits: str.isdigit() also takes "²", int() not


def _asked_ids(query) -> tuple[int, int] | None:
    """(type id, location id) when the query names both as plain numbers."""
    type_id, location_id = query.get("type", ""), query.get("location", "")
    if _ID.fullmatch(type_id) and _ID.fullmatch(location_id):
        return int(type_id), int(location_id)
    return None


def _choice(request):
    """(ChooseForm or None, type, location, token) for the booking page.

    A GET that names a type and a location reads the location's token first (see
    ``booking.opentimes``) and takes the choice kept under it, else asks ChooseForm and keeps
    its answer.  A POST asks ChooseForm, and the times shown after it read the token afresh
    (a booking tried in between may have changed it).  Form None with type None: show it."""
    asked = _asked_ids(request.GET) if request.method in ("GET", "HEAD") else None
    token = opentimes.generation(asked[1]) if asked else opentimes.READ
    kept = _chosen.get((*asked, token)) if asked and token else None
    if kept is not None:
        return None, *kept, token
    choose = ChooseForm(request.GET if {"type", "location"} & request.GET.keys() else None)
    if not choose.is_valid() or choose.cleaned_data["location"] is None:
        return choose, None, None, token
    chosen = choose.cleaned_data["type"], choose.cleaned_data["location"]
    if asked and token and asked == (chosen[0].pk, chosen[1].pk):
        if len(_chosen) >= CHOSEN_KEPT:
            _chosen.clear()
        _chosen[(*asked, token)] = chosen
    return choose, *chosen, token


@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters()
def consultation(request):
    """Choose type and location (GET form), then a time and contact details (POST)."""
    choose, consultation_type, location, token = _choice(request)
    if consultation_type is None:
        # The first question, or the second (which location's team) when it must be asked.
        return render(request, "booking/choose.html", {"choose": choose})

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
        "interest": interest,  # as asked, for the page's links (not only a known topic)
        "details_html": details_fields(form),
        **_slot_context(form, location, consultation_type, highlight=highlight, token=token),
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
