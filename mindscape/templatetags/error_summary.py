"""``{% error_summary form as summary %}``: what the error summary at the top of a form lists.

As GOV.UK's error summary: one line per problem, each linking to its field (a group of
radios or checkboxes: its first option).  A refusal that is not about anything typed (a
form sent back too fast, or left open for hours: ``mindscape.antispam``) is not listed as
a problem: it becomes ``notice``, a calm request to check and send again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms, template

register = template.Library()

SEND_AGAIN_CODES = {"retry", "expired"}


@dataclass
class Summary:
    problems: list[tuple[str, str]] = field(default_factory=list)  # (anchor or "", message)
    notice: str = ""

    @property
    def count(self) -> int:
        return len(self.problems)


def anchor(bound_field) -> str:
    widget = bound_field.field.widget
    if getattr(bound_field.field, "summary_links_to_group", False):
        return bound_field.auto_id  # the group's own focusable legend
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{bound_field.auto_id}_0"
    return bound_field.auto_id


@register.simple_tag
def error_summary(form) -> Summary:
    summary = Summary()
    if not form or not form.errors:
        return summary
    for bound_field in form:
        for message in bound_field.errors:
            summary.problems.append((anchor(bound_field), message))
    for error in form.non_field_errors().as_data():
        if getattr(error, "code", None) in SEND_AGAIN_CODES:
            summary.notice = summary.notice or " ".join(error.messages)
        else:
            summary.problems.extend(("", message) for message in error.messages)
    return summary
