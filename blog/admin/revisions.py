"""Revisions of live articles: written by editors, shown as changes against the live text,
approved or returned by a medical reviewer."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from mindscape.adminkit import AuditedAdminMixin

from .. import diff, services
from ..models import Article, ArticleRevision
from . import workflow


class RevisionForm(forms.ModelForm):
    class Meta:
        model = ArticleRevision
        fields = ["article", "title", "summary", "body", "seo_title", "seo_description", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "article" in self.fields:
            self.fields["article"].queryset = Article.objects.filter(
                status=Article.Status.PUBLISHED
            )

    def clean_article(self):
        article = self.cleaned_data["article"]
        pending = article.revisions.filter(status=ArticleRevision.Status.PENDING)
        if self.instance.pk:
            pending = pending.exclude(pk=self.instance.pk)
        if pending.exists():
            raise forms.ValidationError(
                "This article already has a revision waiting for review: edit that one instead."
            )
        return article


@admin.register(ArticleRevision)
class ArticleRevisionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = RevisionForm
    list_display = ["article", "status", "note", "created_by", "created_at", "decided_by"]
    list_filter = ["status"]
    list_select_related = ["article", "created_by", "decided_by"]
    readonly_fields = [
        "status",
        "created_by",
        "created_at",
        "decided_by",
        "decided_at",
        "changes",
        "preview_link",
    ]
    actions = ["approve", "reject"]
    change_form_template = "admin/blog/change_form_workflow.html"

    @admin.display(description="changes against the live text")
    def changes(self, obj):
        if not obj.pk:
            return "Save first to see the changes."
        article = obj.article
        model = ArticleRevision._meta
        return diff.fields(
            [
                (
                    str(model.get_field(name).verbose_name).capitalize(),
                    getattr(article, name),
                    getattr(obj, name),
                )
                for name in services.REVISION_FIELDS
            ]
        )

    @admin.display(description="preview")
    def preview_link(self, obj):
        if not obj.pk:
            return "Save first to preview."
        return format_html(
            '<a href="{}">Preview the article with this revision, as visitors would see it</a>',
            reverse("blog:revision_preview", args=[obj.pk]),
        )

    def get_urls(self):
        from django.urls import path

        step = self.admin_site.admin_view(self.workflow_view)
        return [
            path("<int:pk>/workflow/<str:step>/", step, name="blog_articlerevision_workflow"),
            *super().get_urls(),
        ]

    def workflow_view(self, request, pk, step):
        return workflow.run_step(self, request, pk, step, ArticleRevision)

    def workflow_steps(self, request, revision) -> list[tuple[str, str]]:
        if revision.status != ArticleRevision.Status.PENDING:
            return []
        if not self.has_approve_permission(request):
            return []
        return [("approve", "Approve and publish"), ("reject", "Return to the editor")]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["workflow_steps"] = self.workflow_steps(request, obj)
            context["workflow_url"] = "admin:blog_articlerevision_workflow"
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields.append("article")
            if obj.status != ArticleRevision.Status.PENDING:
                fields += ["title", "summary", "body", "seo_title", "seo_description", "note"]
        return fields

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        article = Article.objects.filter(pk=request.GET.get("article")).first()
        if article is not None:
            initial.update({field: getattr(article, field) for field in services.REVISION_FIELDS})
            initial["article"] = article.pk
        return initial

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="Approve and publish (medical reviewers)", permissions=["approve"])
    def approve(self, request, queryset):
        workflow.run_action(self, request, queryset, services.revision_approve, "approved")

    @admin.action(description="Return to the editor (medical reviewers)", permissions=["approve"])
    def reject(self, request, queryset):
        workflow.run_action(self, request, queryset, services.revision_reject, "returned")

    def has_approve_permission(self, request):
        return request.user.has_perm(services.APPROVE_PERMISSION)
