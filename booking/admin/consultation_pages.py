"""The front desk's own pages for consultations: book for a patient, move, cancel.

Each is a form page (POST, through ``booking.services`` as the patient's pages are) with
the free-times picker (``picker.py``); a refused time comes back with the nearest free ones.
``ConsultationAdmin`` (consultations.py: the list, filters, actions, export) mixes them in.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .. import schedule, services
from ..forms import StaffBookingForm, StaffCancelForm, StaffTimeForm
from ..models import Consultation, ConsultationType, Location
from ..views import when_label
from . import picker


class ConsultationPages:
    """Book, move and cancel pages of the consultation admin (a ModelAdmin mixin)."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("book/", wrap(self.book_view), name="booking_consultation_book"),
            path("<int:pk>/move/", wrap(self.move_view), name="booking_consultation_move"),
            path("<int:pk>/cancel/", wrap(self.cancel_view), name="booking_consultation_cancel"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:booking_consultation_book"))

    def _page(self, request, title, form, consultation=None, submit="Save", free_times=None):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "form": form,
            "opts": self.model._meta,
            "original": consultation,
            "submit_label": submit,
            "free_times": free_times,
            "when": when_label(consultation.starts_at, consultation.location)
            if consultation
            else "",
        }
        return TemplateResponse(request, "admin/booking/consultation/action_form.html", context)

    def _time_form(self, request, form_class, *, location=None, initial=None):
        """The form of a book or move page, and the location and type its picker shows.

        A press on a free time (``pick``) or on "Show free times" is not a submission: the
        page comes back with everything typed kept, the picked time filled in, no errors.
        """
        data = request.POST if request.method == "POST" else None
        refresh = data is not None and ("pick" in data or "show_times" in data)
        if not refresh:
            form = form_class(data, initial=initial)
            return form, None
        values = {k: v for k, v in data.items() if k not in ("csrfmiddlewaretoken", "pick")}
        values.pop("show_times", None)
        location = location or _chosen(Location, values.get("location"))
        picked = picker.picked(data.get("pick", ""), location) if location else None
        if picked is not None:
            values["date"] = picked.date().isoformat()
            values["time"] = f"{picked:%H:%M}"
        return form_class(initial={**(initial or {}), **values}), picked

    def _free_times(self, request, form, location, consultation_type, **options):
        """The picker's times: from the date on the form once staff have sent it (a move
        page opens on the booking's own date, but lists the next days first)."""
        if location is None or consultation_type is None:
            return {"location": location, "consultation_type": consultation_type, "days": []}
        typed_day = None
        if request.method == "POST":
            typed_day = form.data.get("date") if form.is_bound else form.initial.get("date")
        first_day = picker.from_day(typed_day)
        picked, nearest, exclude = (options.get(k) for k in ("picked", "nearest", "exclude"))
        return {
            "location": location,
            "consultation_type": consultation_type,
            "from_day": first_day,
            "days": picker.days(location, consultation_type, from_day=first_day, exclude=exclude),
            "picked": when_label(picked, location) if picked else "",
            "nearest": list(nearest or []),
        }

    def _refusal(self, form, error, location, consultation_type, starts_at, exclude=None):
        """Put a refusal on the form; the nearest free times to show with it, if any."""
        if isinstance(error, services.OutsideSchedule):
            where = "Inside the notice period" if error.too_soon else "Outside opening hours"
            form.add_error(
                "time",
                f"{where} — tick ‘Allow a time outside opening hours’ to book it anyway, "
                "or pick one of the nearest free times.",
            )
            return picker.nearest(location, consultation_type, starts_at, exclude=exclude)
        form.add_error("time", _with_alternatives(error, location))
        return [
            (picker.slot_value(slot), when_label(slot.start, location))
            for slot in getattr(error, "alternatives", [])
        ]

    def book_view(self, request):
        """Staff book for a patient, under the same rules (hours and notice may be overridden)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form, picked = self._time_form(request, StaffBookingForm, initial=_book_defaults())
        nearest = []
        if form.is_bound and form.is_valid():
            location = form.cleaned_data["location"]
            consultation_type = form.cleaned_data["consultation_type"]
            starts_at = form.starts_at(location)
            if starts_at is not None:
                try:
                    consultation = services.consultation_book(
                        location=location,
                        consultation_type=consultation_type,
                        starts_at=starts_at,
                        details=form.details(),
                        idempotency_key=form.cleaned_data["idempotency_key"],
                        by=request.user,
                        override_schedule=form.cleaned_data["override_schedule"],
                    )
                except services.BookingError as error:
                    nearest = self._refusal(form, error, location, consultation_type, starts_at)
                else:
                    self.message_user(request, "Consultation booked.", messages.SUCCESS)
                    return HttpResponseRedirect(
                        reverse("admin:booking_consultation_change", args=[consultation.pk])
                    )
        source = form.data if form.is_bound else form.initial
        free_times = self._free_times(
            request,
            form,
            _chosen(Location, source.get("location")),
            _chosen(ConsultationType, source.get("consultation_type")),
            picked=picked,
            nearest=nearest,
        )
        return self._page(
            request, "Book a consultation for a patient", form, submit="Book", free_times=free_times
        )

    def move_view(self, request, pk):
        consultation = get_object_or_404(
            Consultation.objects.select_related("location", "consultation_type"), pk=pk
        )
        if not self.has_change_permission(request, consultation):
            raise PermissionDenied
        local = consultation.local_start
        form, picked = self._time_form(
            request,
            StaffTimeForm,
            location=consultation.location,
            initial={"date": local.date(), "time": local.time()},
        )
        nearest = []
        if form.is_bound and form.is_valid():
            starts_at = form.starts_at(consultation.location)
            if starts_at is not None:
                try:
                    services.consultation_reschedule(
                        consultation=consultation,
                        starts_at=starts_at,
                        by=request.user,
                        override_schedule=form.cleaned_data["override_schedule"],
                    )
                except services.BookingError as error:
                    nearest = self._refusal(
                        form,
                        error,
                        consultation.location,
                        consultation.consultation_type,
                        starts_at,
                        exclude=consultation,
                    )
                else:
                    self.message_user(request, "Consultation moved.", messages.SUCCESS)
                    return HttpResponseRedirect(
                        reverse("admin:booking_consultation_change", args=[pk])
                    )
        free_times = self._free_times(
            request,
            form,
            consultation.location,
            consultation.consultation_type,
            picked=picked,
            nearest=nearest,
            exclude=consultation,
        )
        return self._page(
            request, "Move consultation", form, consultation, submit="Move", free_times=free_times
        )

    def cancel_view(self, request, pk):
        consultation = get_object_or_404(
            Consultation.objects.select_related("location", "consultation_type"), pk=pk
        )
        if not self.has_change_permission(request, consultation):
            raise PermissionDenied
        form = StaffCancelForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.consultation_cancel(
                    consultation=consultation, by=request.user, reason=form.cleaned_data["reason"]
                )
            except services.BookingError as error:
                form.add_error("reason", str(error))
            else:
                self.message_user(request, "Consultation cancelled.", messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:booking_consultation_change", args=[pk]))
        return self._page(request, "Cancel consultation", form, consultation, submit="Cancel it")


def _chosen(model, value):
    """The active location or type a form's raw value names, or None."""
    if isinstance(value, model):
        return value
    if not value or not str(value).isdigit():
        return None
    return model.objects.filter(pk=value, is_active=True).first()


def _book_defaults() -> dict:
    """The book page opens on the first location and the first type offered there, so
    the free times show at once (most clinics have one location)."""
    location = Location.objects.filter(is_active=True).order_by("pk").first()
    if location is None:
        return {}
    consultation_type = schedule.offered_types(location).order_by("pk").first()
    return {
        "location": location.pk,
        "consultation_type": consultation_type.pk if consultation_type else None,
    }


def _with_alternatives(error: services.BookingError, location: Location) -> str:
    alternatives = getattr(error, "alternatives", [])
    if not alternatives:
        return str(error)
    nearest = "; ".join(when_label(slot.start, location) for slot in alternatives)
    return f"{error} Nearest free times: {nearest}."
