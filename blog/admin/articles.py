"""Articles: the list (review due, status, workflow actions), the form (hero image made
safe on upload), their references, and the workflow steps on each article's page."""

from django import forms
from django.contrib import admin, messages
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html

from mindscape.adminkit import AccessibleTabularInline, AuditedAdminMixin

from .. import services
from ..images import sanitised_original, validate_hero_image
from ..models import Article, ArticleRevision, Reference
from . import workflow


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
        workflow.run_action(self, request, queryset, services.article_submit, "sent for review")

    @admin.action(description="Return to draft")
    def return_to_draft(self, request, queryset):
        workflow.run_action(
            self, request, queryset, services.article_return_to_draft, "returned to draft"
        )

    @admin.action(description="Publish (medical reviewers)", permissions=["publish"])
    def publish(self, request, queryset):
        workflow.run_action(self, request, queryset, services.article_publish, "published")

    @admin.action(
        description="Mark medically reviewed today (medical reviewers)", permissions=["publish"]
    )
    def mark_reviewed(self, request, queryset):
        workflow.run_action(
            self, request, queryset, services.article_mark_reviewed, "marked reviewed"
        )

    @admin.action(description="Unpublish (medical reviewers)", permissions=["publish"])
    def unpublish(self, request, queryset):
        workflow.run_action(self, request, queryset, services.article_unpublish, "unpublished")

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
        return workflow.run_step(self, request, pk, step, Article)

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
