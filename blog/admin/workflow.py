"""The workflow steps shared by the articles' and the revisions' pages: an action applied
to the selected records, and one step run on one record from its page (POST only)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse

from .. import services
from ..models import ArticleRevision


def run_action(modeladmin, request, queryset, service, done: str):
    """Apply a workflow service to each selected object, reporting what could not be done."""
    keyword = "revision" if queryset.model is ArticleRevision else "article"
    changed = 0
    for obj in queryset:
        try:
            service(**{keyword: obj}, by=request.user)
            changed += 1
        except services.WorkflowError as error:
            modeladmin.message_user(request, f"“{obj}”: {error}", messages.WARNING)
        except PermissionDenied as error:
            modeladmin.message_user(request, str(error), messages.ERROR)
            return
    if changed:
        modeladmin.message_user(request, f"{changed} {done}.", messages.SUCCESS)


def run_step(modeladmin, request, pk, step, model):
    """POST only: run one of the list's workflow actions on one record, then back to it.
    Only steps offered on its page; the service checks permission and status again."""
    if not modeladmin.has_change_permission(request):
        raise PermissionDenied
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    obj = get_object_or_404(model, pk=pk)
    if step not in dict(modeladmin.workflow_steps(request, obj)):
        raise PermissionDenied
    getattr(modeladmin, step)(request, model.objects.filter(pk=obj.pk))
    return HttpResponseRedirect(
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
    )
