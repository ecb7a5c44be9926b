"""Screenings in the admin: the clinician's triage queue, summary, printable view and actions.

See the package's docstring for who may see and do what.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timesince import timesince

from audit import log as audit
from clinic import crisis
from mindscape.adminkit import AuditHistoryMixin, CsvExportMixin, ReadOnlyAdminMixin

from .. import services, summary
from ..instruments import INSTRUMENTS
from ..models import Acknowledgement, Screening
from .common import (
    CONTENTS_PERMISSION,
    EXPORT_PERMISSION,
    TRIAGE_PERMISSION,
    consultation_facts,
    urgency_band,
    urgency_label,
    urgency_reasons,
)
from .filters import BandFilter, FlagFilter, QueueFilter, StatusFilter, UrgencyFilter


class AcknowledgeForm(forms.Form):
    action = forms.ChoiceField(
        label="What was done",
        choices=Acknowledgement.Action.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what was done."},
    )
    note = forms.CharField(
        label="In a few words (stored encrypted)",
        max_length=4000,
        widget=forms.Textarea({"rows": 3, "cols": 60}),
        error_messages={"required": "Say in a few words what was done."},
    )


@admin.register(Screening)
class ScreeningAdmin(AuditHistoryMixin, CsvExportMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "number",
        "urgency_band",
        "waiting",
        "review_status",
        "acknowledgement",
        "linked_consultation",
    ]
    list_filter = [QueueFilter, StatusFilter, UrgencyFilter, FlagFilter]
    front_desk_filters = [QueueFilter, StatusFilter, BandFilter]
    list_per_page = 50
    search_fields = []
    actions = None
    # What only those who may open a screening see in the queue: its flags say something
    # about the answers, and its consultation ties it to a named booking.  The front desk
    # sees number, a neutral urgency band, dates and status.
    contents_columns = ("linked_consultation",)

    # --- The queue ------------------------------------------------------------------------

    def get_queryset(self, request):
        # Not super(): it orders by get_ordering() before the annotations exist.
        # The linked consultation in the same query (its status in the list, its facts on
        # the summary).
        return self.linked_screenings().queue()

    @staticmethod
    def linked_screenings():
        return Screening.objects.select_related(
            "consultation__location", "consultation__consultation_type"
        )

    def get_ordering(self, request):
        return ["queue_urgency", "waiting_since_at", "pk"]

    @admin.display(description="screening", ordering="pk")
    def number(self, obj):
        return f"#{obj.pk}"

    @admin.display(description="urgency", ordering="queue_urgency")
    def urgency_band(self, obj):
        """For those who may open a screening: the level in the one label table and what
        fired, in plain words."""
        if obj.urgency is None and obj.draft_urgency is not None:
            label = f"{urgency_label(obj.draft_urgency)} (form not sent)"
        elif obj.queue_urgency != obj.urgency:
            label = (
                f"{urgency_label(obj.queue_urgency)} "
                f"(answer changed before sending; sent as {obj.urgency})"
            )
        else:
            label = urgency_label(obj.urgency)
        reasons = urgency_reasons(obj)
        if not reasons:
            return label
        return format_html(
            '{}<ul class="urgency-reasons">{}</ul>',
            label,
            format_html_join("", "<li><code>{}</code> {}</li>", reasons),
        )

    @admin.display(description="urgency", ordering="queue_urgency")
    def urgency_neutral(self, obj):
        """For the front desk: a neutral band, nothing clinical."""
        return urgency_band(obj.queue_urgency)

    @admin.display(description="waiting", ordering="waiting_since_at")
    def waiting(self, obj):
        since = obj.waiting_since_at
        return format_html(
            '<time datetime="{}">{}</time>', since.isoformat(), timesince(since, timezone.now())
        )

    @admin.display(description="review status", ordering="status")
    def review_status(self, obj):
        if obj.became_patient_at:
            return f"{obj.get_status_display()} · became a patient"
        return obj.get_status_display()

    @admin.display(description="acknowledgement")
    def acknowledgement(self, obj):
        if not obj.needs_acknowledgement:
            return "—"
        if obj.acknowledged_at is None:
            return mark_safe('<strong class="needs-ack">Awaiting acknowledgement</strong>')  # noqa: S308
        return "Acknowledged"

    @admin.display(description="consultation", ordering="consultation_id")
    def linked_consultation(self, obj):
        if obj.consultation is None:
            return "—"
        return f"#{obj.consultation_id} · {obj.consultation.get_status_display()}"

    def get_list_display(self, request):
        if request.user.has_perm(CONTENTS_PERMISSION):
            return self.list_display
        return [
            "urgency_neutral" if name == "urgency_band" else name
            for name in self.list_display
            if name not in self.contents_columns
        ]

    def get_list_filter(self, request):
        if request.user.has_perm(CONTENTS_PERMISSION):
            return self.list_filter
        return self.front_desk_filters

    def lookup_allowed(self, lookup, value, request=None):
        """Filtering only through the filters this user is shown; anything else typed into
        the address is refused (400): a field (``?flag_codes__contains=psychosis``,
        ``?consultation_id=42``, ``?consultation__status=cancelled``), one of the queue's
        annotations (``?queue_urgency__lte=3``, which Django would otherwise apply because
        it is no model field), ``?pk=``, or a filter this user is not shown (``?flag=`` for
        the front desk)."""
        return request is not None and lookup in {
            item.parameter_name for item in self.get_list_filter(request)
        }

    def get_list_display_links(self, request, list_display):
        # No links to pages the front desk may not open.
        if not request.user.has_perm(CONTENTS_PERMISSION):
            return None
        return ["number"]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "signoff_notice": self._signoff_notice(),
            "can_export": self.has_export_permission(request),
            "awaiting": Screening.objects.filter(
                needs_acknowledgement=True, acknowledged_at=None
            ).count(),
        }
        return super().changelist_view(request, extra_context)

    change_list_template = "admin/intake/screening/change_list.html"

    def _signoff_notice(self) -> str:
        """Shown in the screening pages themselves (not as a message, which would follow
        a redirect to whatever page comes next, and pile up)."""
        waiting = [i.name for i in INSTRUMENTS.values() if i.awaiting_signoff]
        items = []
        if waiting:
            items.append(
                f"the wording of {', '.join(waiting)} "
                "(the current self-report wording could not be confirmed)"
            )
        items.extend(crisis.AWAITING_SIGNOFF)
        if not items:
            return ""
        return "Awaiting the medical director's sign-off: " + "; ".join(items) + "."

    # --- One screening: summary, print, actions ---------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("export/", wrap(self.export_view), name="intake_screening_export"),
            path("<int:pk>/print/", wrap(self.print_view), name="intake_screening_print"),
            path("<int:pk>/note/", wrap(self.add_note_view), name="intake_screening_note"),
            path(
                "<int:pk>/acknowledge/",
                wrap(self.acknowledge_view),
                name="intake_screening_acknowledge",
            ),
            path("<int:pk>/review/", wrap(self.review_view), name="intake_screening_review"),
            *super().get_urls(),
        ]

    def _contents_allowed(self, request) -> None:
        if not request.user.has_perm(CONTENTS_PERMISSION):
            raise PermissionDenied

    def _triage_allowed(self, request) -> None:
        self._contents_allowed(request)
        if not request.user.has_perm(TRIAGE_PERMISSION):
            raise PermissionDenied

    def _summary_context(self, request, screening: Screening, **extra) -> dict:
        user = request.user
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Screening #{screening.pk}",
            "subtitle": None,
            "signoff_notice": self._signoff_notice(),
            "screening": screening,
            "urgency": (
                urgency_label(screening.urgency)
                if screening.urgency is not None
                else f"{urgency_label(screening.draft_urgency)} (form not sent)"
            ),
            "summary": summary.clinician_summary(screening),
            "draft_urgency_label": urgency_label(screening.draft_urgency),
            "urgency_reasons": urgency_reasons(screening),
            "consultation": consultation_facts(screening),
            "acknowledgements": screening.acknowledgements.select_related("by"),
            "notes": screening.notes.select_related("author"),
            "can_triage": user.has_perm(TRIAGE_PERMISSION),
            "can_view_consultation": user.has_perm("booking.view_consultation"),
            "ack_form": extra.pop("ack_form", None) or AcknowledgeForm(),
            "review_steps": self._review_steps(screening),
            **extra,
        }

    @staticmethod
    def _review_steps(screening: Screening) -> list[tuple[str, str]]:
        labels = {
            "start_review": "Start review",
            "mark_reviewed": "Mark reviewed",
            "reopen": "Reopen review",
        }
        return [
            (step, labels[step])
            for step, (allowed, _, _) in services.REVIEW_STEPS.items()
            if screening.status in allowed
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The one-screen clinician summary (opening it is audited)."""
        self._contents_allowed(request)
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied  # nobody edits a screening; the actions have their own URLs
        screening = self.get_object(request, object_id)
        if screening is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        audit.record(request.user, "screening_viewed", screening)
        return TemplateResponse(
            request,
            "admin/intake/screening/summary.html",
            self._summary_context(request, screening),
        )

    def print_view(self, request, pk):
        """The same summary, laid out for paper (audited as a print)."""
        self._contents_allowed(request)
        screening = get_object_or_404(self.linked_screenings(), pk=pk)
        audit.record(request.user, "screening_printed", screening)
        return TemplateResponse(
            request,
            "admin/intake/screening/print.html",
            self._summary_context(request, screening, printed_at=timezone.now()),
        )

    def _back(self, pk):
        return HttpResponseRedirect(reverse("admin:intake_screening_change", args=[pk]))

    def _refused(self, request, pk, error: services.ScreeningError):
        """Say why at the top: back to the screening, or to the queue if it is gone."""
        self.message_user(request, str(error), messages.ERROR)
        if isinstance(error, services.ScreeningGone):
            return HttpResponseRedirect(reverse("admin:intake_screening_changelist"))
        return self._back(pk)

    def acknowledge_view(self, request, pk):
        """POST: what was done about a screening that is not routine; an error re-shows the
        summary with the message and everything typed (200, as every form of the site does)."""
        self._triage_allowed(request)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        screening = get_object_or_404(self.linked_screenings(), pk=pk)
        form = AcknowledgeForm(request.POST)
        if form.is_valid():
            try:
                services.screening_acknowledge(
                    screening=screening,
                    action=form.cleaned_data["action"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
            except services.ScreeningError as error:
                # Not about what was typed (e.g. nothing to acknowledge): say so at the top.
                return self._refused(request, pk, error)
            self.message_user(request, "Acknowledged.", messages.SUCCESS)
            return self._back(pk)
        audit.record(request.user, "screening_viewed", screening)
        return TemplateResponse(
            request,
            "admin/intake/screening/summary.html",
            self._summary_context(request, screening, ack_form=form),
        )

    def review_view(self, request, pk):
        """POST: start review, mark reviewed, reopen, or set "became a patient"."""
        self._triage_allowed(request)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        screening = get_object_or_404(self.linked_screenings(), pk=pk)
        step = request.POST.get("step", "")
        try:
            if step in ("became_patient", "not_patient"):
                services.screening_patient_set(
                    screening=screening, became_patient=step == "became_patient", by=request.user
                )
            else:
                services.screening_review(screening=screening, step=step, by=request.user)
        except services.ScreeningError as error:
            return self._refused(request, pk, error)
        self.message_user(request, "Saved.", messages.SUCCESS)
        return self._back(pk)

    def add_note_view(self, request, pk):
        """POST only: a clinician's note, stored encrypted; back to the screening."""
        self._contents_allowed(request)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        screening = get_object_or_404(self.linked_screenings(), pk=pk)
        try:
            services.screening_note_add(
                screening=screening, text=request.POST.get("text", ""), by=request.user
            )
        except services.ScreeningError as error:
            return self._refused(request, pk, error)
        self.message_user(request, "Note added.", messages.SUCCESS)
        return self._back(pk)

    def history_view(self, request, object_id, extra_context=None):
        """Django's change history of a screening: audited like every opening of one."""
        self._contents_allowed(request)
        response = super().history_view(request, object_id, extra_context)
        screening = (getattr(response, "context_data", None) or {}).get("object")
        if screening is not None:
            audit.record(request.user, "screening_history_viewed", screening)
        return response

    # The export (CsvExportMixin): the queue as filtered on screen, numbers, scores,
    # codes: no identity, no answers (audited).
    export_filename = "screening-queue.csv"
    export_header = [
        "screening",
        "urgency",
        "urgency label",
        "urgency reasons",
        "urgency scale",
        "status",
        "acknowledgement",
        "submitted",
        "PHQ-9",
        "PHQ-9 item 9",
        "GAD-7",
        "PC-PTSD-5",
        "pain",
        "C-SSRS",
        "flags",
        "consultation",
    ]
    export_action = "screenings_exported"

    def has_export_permission(self, request) -> bool:
        return request.user.has_perm(CONTENTS_PERMISSION) and request.user.has_perm(
            EXPORT_PERMISSION
        )

    def export_rows(self, request, queryset):
        for s in queryset:
            acknowledgement = "" if not s.needs_acknowledgement else "acknowledged"
            if s.awaits_acknowledgement:
                acknowledgement = "awaiting acknowledgement"
            yield (
                s.pk,
                s.queue_urgency or "",
                urgency_label(s.queue_urgency),
                " ".join(s.urgency_reasons or ()),
                s.urgency_scale,
                s.get_status_display(),
                acknowledgement,
                timezone.localtime(s.submitted_at).strftime("%Y-%m-%d %H:%M")
                if s.submitted_at
                else "",
                s.phq9_total,
                s.phq9_item9,
                s.gad7_total,
                s.pcptsd5_count,
                s.pain,
                s.cssrs_tier,
                " ".join(s.flag_codes or ()),
                s.consultation_id or "",
            )
