"""The sign-in forms: password, code from the app, recovery code.

Each field with an error points at its message (``aria-describedby``) and says it is
invalid, so screen readers read the error with the field.
"""

from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm

from . import twofactor


class DescribedErrorsMixin:
    """After validation, link each field to its error message (rendered by the templates
    as ``<p id="<field id>_error">``) and a form-wide error to every field."""

    def full_clean(self):
        super().full_clean()
        self.link_errors()

    def link_errors(self) -> None:
        """Also call after ``add_error`` outside validation."""
        everything = bool(self.non_field_errors())
        for name, field in self.fields.items():
            ids = []
            if everything:
                ids.append("form-error")
            if name in self.errors:
                ids.append(f"{self[name].auto_id}_error")
            if field.help_text:
                ids.append(f"{self[name].auto_id}_helptext")
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)
            if name in self.errors or everything:
                field.widget.attrs["aria-invalid"] = "true"


class StaffAuthenticationForm(DescribedErrorsMixin, AdminAuthenticationForm):
    """Username and password; no "remember me" (sessions end when the browser closes)."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": (
            "That username and password did not match a staff account. Both are "
            "case-sensitive. After several failed tries, sign-in is locked for a while."
        ),
    }


class CodeForm(DescribedErrorsMixin, forms.Form):
    code = forms.CharField(
        label="6-digit code from your authenticator app",
        max_length=12,
        help_text="The code changes every 30 seconds; enter the one shown now.",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": r"[0-9 ]*",
                "autocapitalize": "off",
                "spellcheck": "false",
            }
        ),
        error_messages={"required": "Enter the 6-digit code from your authenticator app."},
    )

    def clean_code(self) -> str:
        code = twofactor.normalised_code(self.cleaned_data["code"])
        if not twofactor.looks_like_app_code(code):
            raise forms.ValidationError(
                "Enter the 6 digits shown in your authenticator app, e.g. 123456."
            )
        return code


class RecoveryCodeForm(DescribedErrorsMixin, forms.Form):
    code = forms.CharField(
        label="Recovery code",
        max_length=24,
        help_text="One of the ten codes you saved when you set up your app. Each works once.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
        error_messages={"required": "Enter one of your recovery codes."},
    )

    def clean_code(self) -> str:
        return twofactor.normalised_code(self.cleaned_data["code"])
