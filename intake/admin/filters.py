"""The screening queue's filters.  Each takes only its own choices; the front desk gets the
neutral band instead of the urgency level, and no flag filter."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters

from .. import flagging, flags, services
from ..models import Screening


class ChoicesOnlyFilter(admin.SimpleListFilter):
    """A list filter that takes only its own choices.  Anything else typed into the address
    (``?urgency=²``, a NUL byte) sends the list back to ``?e=1``, as Django does with an
    unknown filter, instead of reaching int() or the database (both were a 500)."""

    def value(self) -> str | None:
        value = super().value()
        if value is not None and value not in {str(choice) for choice, _ in self.lookup_choices}:
            raise IncorrectLookupParameters(f"not a choice of the {self.parameter_name} filter")
        return value


class QueueFilter(ChoicesOnlyFilter):
    """The queue by default: what still needs a clinician."""

    title = "queue"
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [
            ("all", "Everything sent"),
            ("unacknowledged", "Awaiting acknowledgement"),
            ("left", "Forms left after a risk answer"),
            ("reviewed", "Reviewed"),
        ]

    def choices(self, changelist):
        # "Needs a clinician" is the default (no parameter), not "All".
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "Needs a clinician",
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset.in_triage()
        if value == "all":
            return queryset.exclude(status=Screening.Status.DRAFT)
        if value == "unacknowledged":
            return queryset.filter(needs_acknowledgement=True, acknowledged_at=None)
        if value == "left":
            return queryset.filter(status=Screening.Status.DRAFT, needs_acknowledgement=True)
        return queryset.filter(status=Screening.Status.REVIEWED)


class StatusFilter(ChoicesOnlyFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Screening.Status.choices

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.filter(status=self.value())


class UrgencyFilter(ChoicesOnlyFilter):
    """By the urgency the queue sorts on (a left form's risk so far, a risk answer changed
    before sending while it awaits acknowledgement)."""

    title = "urgency"
    parameter_name = "urgency"

    def lookups(self, request, model_admin):
        return [(str(int(level)), label) for level, label in flags.URGENCY_LABELS.items()]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.filter(queue_urgency=int(self.value()))


class BandFilter(ChoicesOnlyFilter):
    """The front desk's urgency filter: by neutral band (several levels each), nothing
    clinical."""

    title = "urgency"
    parameter_name = "band"

    def lookups(self, request, model_admin):
        return [(band.lower(), band) for band in flags.BANDS]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        band = next(band for band in flags.BANDS if band.lower() == self.value())
        return queryset.filter(queue_urgency__in=flagging.levels_in_band(band))


class FlagFilter(ChoicesOnlyFilter):
    """Clinicians only: a flag says something about the answers."""

    title = "flag"
    parameter_name = "flag"

    def lookups(self, request, model_admin):
        codes = sorted(
            {rule.code for rule in flags.CONDITION_RULES}
            | {category.flag_code for category in flags.MEDICATION_CATEGORIES}
        )
        return [(services.CRISIS_WORDING_FLAG, "crisis wording")] + [
            (code, code.replace("_", " ")) for code in codes
        ]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.filter(flag_codes__contains=[self.value()])
