"""A confirmation page for admin actions that cannot be undone
(templates/admin/confirm_action.html)."""

from __future__ import annotations

from django.contrib.admin import helpers
from django.template.response import TemplateResponse


def confirmed(request) -> bool:
    return request.POST.get("confirmed") == "yes"


def confirm_page(model_admin, request, *, title, intro, items, button, ids, action=""):
    """The page asking to confirm (it posts the same action back with ``confirmed=yes``)."""
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "opts": model_admin.model._meta,
        "intro": intro,
        "items": items,
        "button": button,
        "ids": ids,
        "action": action,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/confirm_action.html", context)
