"""The editors' and medical reviewers' desk.

Status never changes through a form field: it changes through actions (POST) that call
``blog.services``, which check who may do what.  A published article's text is read-only
here; changes go into a revision that a medical reviewer approves.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html

from mindscape.adminkit import AccessibleTabularInline, AuditedAdminMixin

from . import diff, services
from .images import sanitised_original, validate_hero_image
from .models import (
    Article,
    ArticleRevision,
    Category,
    Contributor,
    Reference,
    Tag,
    ZeroResultSearch,
)


class ReviewDueFilter(admin.SimpleListFilter):
    title = "medical review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", "Overdue for review"), ("due_30", "Due within 30 days")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.overdue_for_review(today)
        if self.value() == "due_30":
            return queryset.filter(
                status=Article.Status.PUBLISHED,
                next_review_due__gte=today,
                next_review_due__lte=today + timezone.timedelta(days=30),
            )
        return queryset


class ReferenceInline(AccessibleTabularInline):
    model = Reference
    extra = 1
    fields = ["position", "citation", "doi", "url"]

    def _published(self, obj) -> bool:
        return obj is not None and obj.status == Article.Status.PUBLISHED

    # References of a live article are part of what the medical reviewer signed off.
    def has_add_permission(self, request, obj=None):
        if self._published(obj) and not request.user.has_perm(services.PUBLISH_PERMISSION):
            return False
        return super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        if self._published(obj) and not request.user.has_perm(services.PUBLISH_PERMISSION):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if self._published(obj) and not request.user.has_perm(services.PUBLISH_PERMISSION):
            return False
        return super().has_delete_permission(request, obj)


class ArticleForm(forms.ModelForm):
    # A plain file field so our validator gives the specific message (Django's ImageField
    # would answer every problem with the same "Upload a valid image"); the validator checks
    # the extension as well as the content, and clean_hero_image stores a clean copy.
    hero_image = forms.FileField(
        required=False,
        validators=[validate_hero_image],
        widget=forms.ClearableFileInput(
            attrs={"accept": ".jpg,.jpeg,.png,.webp,image/jpeg,image/png,image/webp"}
        ),
        help_text="A JPEG, PNG or WebP photo (.jpg, .jpeg, .png or .webp) at least 800 pixels "
        "wide, at most 10 MB. Its location and camera details are removed. The article shows "
        "it once its sizes for phones and screens are made, shortly after saving.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            # The real address (the model's "<slug>" would be read as an HTML tag and vanish).
            slug = self.instance.slug if self.instance.pk and self.instance.slug else "<slug>"
            address = reverse("blog:article", kwargs={"slug": "-slug-"}).replace("-slug-", slug)
            self.fields["slug"].help_text = escape(f"The article's address: {address}")

    def clean_hero_image(self):
        image = self.cleaned_data.get("hero_image")
        if isinstance(image, UploadedFile):
            # Never the uploaded bytes nor the uploaded name: a re-encoded copy, no metadata.
            return sanitised_original(image)
        return image

    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "summary",
            "body",
            "hero_image",
            "hero_alt",
            "hero_decorative",
            "categories",
            "tags",
            "is_featured",
            "author",
            "published_at",
            "seo_title",
            "seo_description",
        ]


def _run(modeladmin, request, queryset, service, done: str):
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


def _workflow(modeladmin, request, pk, step, model):
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


@admin.register(Article)
class ArticleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = ArticleForm
    list_display = [
        "title",
        "status",
        "categories_list",
        "reviewer_name",
        "last_reviewed",
        "next_review_due",
        "published_at",
    ]
    list_filter = ["status", ReviewDueFilter, "categories"]
    list_select_related = ["reviewer"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    filter_horizontal = []
    autocomplete_fields = []
    inlines = [ReferenceInline]
    change_form_template = "admin/blog/change_form_workflow.html"
    readonly_fields = ["status", "reviewer", "last_reviewed", "next_review_due", "preview_link"]
    actions = ["submit_for_review", "return_to_draft", "publish", "mark_reviewed", "unpublish"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        ("Image", {"fields": ["hero_image", "hero_alt", "hero_decorative"]}),
        ("Topics", {"fields": ["categories", "tags", "is_featured"]}),
        ("People", {"fields": ["author", "reviewer"]}),
        (
            "Publication and review",
            {
                "fields": [
                    "status",
                    "published_at",
                    "last_reviewed",
                    "next_review_due",
                    "preview_link",
                ]
            },
        ),
        ("Search engines", {"fields": ["seo_title", "seo_description"]}),
    ]
    TEXT_FIELDS = ["title", "slug", "summary", "body", "seo_title", "seo_description"]
    REVIEWED_FIELDS = [
        "hero_image",
        "hero_alt",
        "hero_decorative",
        "categories",
        "tags",
        "published_at",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("categories")

    @admin.display(description="reviewer", ordering="reviewer__name")
    def reviewer_name(self, obj):
        # The name only: the credentials line is on the article page.
        return obj.reviewer.name if obj.reviewer else ""

    @admin.display(description="categories")
    def categories_list(self, obj):
        return ", ".join(c.name for c in obj.categories.all())

    @admin.display(description="preview")
    def preview_link(self, obj):
        if not obj.pk:
            return "Save first to preview."
        return format_html(
            '<a href="{}">Preview this article as visitors would see it</a>',
            reverse("blog:preview", args=[obj.pk]),
        )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.status == Article.Status.PUBLISHED:
            fields += [*self.TEXT_FIELDS, "address"]
            if not request.user.has_perm(services.PUBLISH_PERMISSION):
                # What a medical reviewer signed off: only they change it on a live article.
                fields += self.REVIEWED_FIELDS
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or obj.status != Article.Status.PUBLISHED:
            return fieldsets
        # Live: the slug is fixed, shown as the address it makes.
        return [
            (
                name,
                {**options, "fields": ["address" if f == "slug" else f for f in options["fields"]]},
            )
            for name, options in fieldsets
        ]

    @admin.display(description="address")
    def address(self, obj):
        url = obj.get_absolute_url()
        return format_html('<a href="{}">{}</a>', url, url)

    def get_prepopulated_fields(self, request, obj=None):
        if obj is not None and obj.status == Article.Status.PUBLISHED:
            return {}
        return super().get_prepopulated_fields(request, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if object_id:
            article = self.get_object(request, object_id)
            if article is not None and article.status == Article.Status.PUBLISHED:
                pending = article.revisions.filter(status=ArticleRevision.Status.PENDING).first()
                url = (
                    reverse("admin:blog_articlerevision_change", args=[pending.pk])
                    if pending
                    else reverse("admin:blog_articlerevision_add") + f"?article={article.pk}"
                )
                messages.info(
                    request,
                    format_html(
                        "This article is published: its text changes through a revision that a "
                        'medical reviewer approves. <a href="{}">{}</a>',
                        url,
                        "Open the revision waiting for review" if pending else "Propose changes",
                    ),
                )
        return super().changeform_view(request, object_id, form_url, extra_context)

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "hero_image" in form.changed_data:
            services.article_hero_changed(article=obj)

    @admin.action(description="Send for medical review")
    def submit_for_review(self, request, queryset):
        _run(self, request, queryset, services.article_submit, "sent for review")

    @admin.action(description="Return to draft")
    def return_to_draft(self, request, queryset):
        _run(self, request, queryset, services.article_return_to_draft, "returned to draft")

    @admin.action(description="Publish (medical reviewers)", permissions=["publish"])
    def publish(self, request, queryset):
        _run(self, request, queryset, services.article_publish, "published")

    @admin.action(
        description="Mark medically reviewed today (medical reviewers)", permissions=["publish"]
    )
    def mark_reviewed(self, request, queryset):
        _run(self, request, queryset, services.article_mark_reviewed, "marked reviewed")

    @admin.action(description="Unpublish (medical reviewers)", permissions=["publish"])
    def unpublish(self, request, queryset):
        _run(self, request, queryset, services.article_unpublish, "unpublished")

    def has_publish_permission(self, request):
        return request.user.has_perm(services.PUBLISH_PERMISSION)

    # step: (action method, label, statuses it applies to, permission check)
    STEPS = {
        "submit_for_review": ("Send for medical review", {"draft"}, "change"),
        "return_to_draft": ("Return to draft", {"in_review"}, "change"),
        "publish": ("Publish", {"draft", "in_review"}, "publish"),
        "mark_reviewed": ("Mark medically reviewed today", {"published"}, "publish"),
        "unpublish": ("Unpublish", {"published"}, "publish"),
    }

    def workflow_steps(self, request, article) -> list[tuple[str, str]]:
        """The (step, label) buttons this person may press on this article now."""
        allowed = {
            "change": self.has_change_permission(request, article),
            "publish": self.has_publish_permission(request),
        }
        return [
            (step, label)
            for step, (label, statuses, permission) in self.STEPS.items()
            if article.status in statuses and allowed[permission]
        ]

    def get_urls(self):
        from django.urls import path

        step = self.admin_site.admin_view(self.workflow_view)
        return [
            path("<int:pk>/workflow/<str:step>/", step, name="blog_article_workflow"),
            *super().get_urls(),
        ]

    def workflow_view(self, request, pk, step):
        """One workflow button on the article's page: the list's action, for this article."""
        return _workflow(self, request, pk, step, Article)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["workflow_steps"] = self.workflow_steps(request, obj)
            context["workflow_url"] = "admin:blog_article_workflow"
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changelist_view(self, request, extra_context=None):
        overdue = Article.objects.overdue_for_review().count()
        extra_context = {
            **(extra_context or {}),
            "subtitle": f"{overdue} overdue for medical review",
        }
        return super().changelist_view(request, extra_context)


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
        return _workflow(self, request, pk, step, ArticleRevision)

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
        _run(self, request, queryset, services.revision_approve, "approved")

    @admin.action(description="Return to the editor (medical reviewers)", permissions=["approve"])
    def reject(self, request, queryset):
        _run(self, request, queryset, services.revision_reject, "returned")

    def has_approve_permission(self, request):
        return request.user.has_perm(services.APPROVE_PERMISSION)


@admin.register(Category)
class CategoryAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Tag)
class TagAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Contributor)
class ContributorAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "credentials", "user", "is_placeholder"]
    list_select_related = ["user"]
    search_fields = ["name", "credentials"]


@admin.register(ZeroResultSearch)
class ZeroResultSearchAdmin(admin.ModelAdmin):
    """What readers looked for and did not find: topics for new articles."""

    list_display = ["query", "count", "last_seen"]
    search_fields = ["query"]
    readonly_fields = ["query", "count", "last_seen"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
