"""Staff accounts in the admin: roles (audited; also outside the admin, role_audit.py),
two-factor reset and sign-in unlock.

Devices are never shown: django-otp's own device pages (which display secrets) are
removed; an Administrator can only reset a colleague's two factors, who then sets up a new
app at the next sign-in.  Roles (groups) are read-only here: mindscape/roles.py is their
single source and rebuilds them after every migrate.
"""

from __future__ import annotations

from axes.models import AccessAttempt
from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit import log as audit
from mindscape import confirm
from mindscape.adminkit import AuditedAdminMixin, ReadOnlyAdminMixin

from . import lockout, twofactor
from .role_audit import ADMIN_MARK, group_code

User = get_user_model()
RESET_PERMISSION = "otp_totp.delete_totpdevice"
UNLOCK_PERMISSION = "axes.delete_accessattempt"

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


def _roles(user_pk) -> dict:
    """A person's access as codes: their flags and their groups' names, slugified."""
    flags = User.objects.filter(pk=user_pk).values("is_active", "is_staff", "is_superuser").first()
    groups = Group.objects.filter(user__pk=user_pk).values_list("name", flat=True)
    return {**(flags or {}), "groups": sorted(group_code(name) for name in groups)}


class StaffUserAdmin(AuditedAdminMixin, UserAdmin):
    """Accounts.  Access comes from roles (groups) only: permissions given to one person
    directly are not offered here, so the role matrix says all a person may do."""

    # What fits at 1280 px beside the sign-in column (email and names: search finds them).
    list_display = ["username", "full_name", "role_names", "two_factor"]
    actions = ["reset_two_factor", "unlock_sign_in"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("Personal info", {"fields": ["first_name", "last_name", "email"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Important dates", {"fields": ["last_login", "date_joined"]}),
    ]
    # Five roles: plain checkboxes, labelled, rather than the two-box chooser (whose
    # search icon carries an aria-label axe refuses).
    filter_horizontal = []

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description="name", ordering="last_name")
    def full_name(self, obj) -> str:
        return obj.get_full_name()

    @admin.display(description="roles")
    def role_names(self, obj) -> str:
        return ", ".join(sorted(g.name for g in obj.groups.all())) or "—"

    @admin.display(description="two-factor set up", boolean=True)
    def two_factor(self, obj) -> bool:
        return obj.has_two_factor

    def get_queryset(self, request):
        devices = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return (
            super()
            .get_queryset(request)
            .annotate(has_two_factor=Exists(devices))
            .prefetch_related("groups")
        )

    def save_model(self, request, obj, form, change):
        obj._roles_before = _roles(obj.pk) if change else {}
        setattr(obj, ADMIN_MARK, True)  # this save is audited below, with its actor
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        before, after = getattr(user, "_roles_before", {}), _roles(user.pk)
        setattr(user, ADMIN_MARK, False)
        new_access = after["groups"] or after["is_staff"] or after["is_superuser"]
        if before == after or not (change or new_access):
            return
        detail = {
            "groups_added": sorted(set(after["groups"]) - set(before.get("groups", []))),
            "groups_removed": sorted(set(before.get("groups", [])) - set(after["groups"])),
        }
        for flag in ("is_active", "is_staff", "is_superuser"):
            if before.get(flag) != after[flag]:
                detail[flag] = after[flag]
        audit.record(request.user, "role_changed", user, detail)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            audit.record(request.user, "password_set", User.objects.get(pk=id))
        return response

    def has_reset_permission(self, request) -> bool:
        return request.user.has_perm(RESET_PERMISSION)

    def has_unlock_permission(self, request) -> bool:
        return request.user.has_perm(UNLOCK_PERMISSION)

    LOCKS = {
        "device": "Locked out (failed sign-ins from one device)",
        "address": "Locked out (failed sign-ins from their address)",
        "account": "Locked out (failed sign-ins from several places)",
    }

    def get_list_display(self, request):
        column = "sign_in_unlock" if self.has_unlock_permission(request) else "sign_in"
        return [*super().get_list_display(request), column]

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # Who is locked out, for the whole page at once.  (Kept per list page: an account
        # another request's page did not cover is looked up on its own.)
        names = {u.get_username() for u in changelist.result_list}
        self._locks = (names, lockout.lock_states(names))
        return changelist

    @admin.display(description="sign-in", empty_value="")
    def sign_in(self, obj) -> str:
        covered, locks = getattr(self, "_locks", (set(), {}))
        if obj.get_username() not in covered:
            locks = lockout.lock_states([obj.get_username()])
        return self.LOCKS.get(locks.get(obj.get_username(), ""), "")

    @admin.display(description="sign-in", empty_value="")
    def sign_in_unlock(self, obj) -> str:
        state = self.sign_in(obj)
        if not state:
            return ""
        return format_html(
            '{} <a class="button unlock-link" href="{}">Unlock sign-in<span '
            'class="visually-hidden"> for {}</span></a>',
            state,
            reverse("admin:auth_user_unlock", args=[obj.pk]),
            obj.get_username(),
        )

    def get_urls(self):
        unlock = self.admin_site.admin_view(self.unlock_view)
        return [path("<int:pk>/unlock/", unlock, name="auth_user_unlock"), *super().get_urls()]

    def unlock_view(self, request, pk):
        """Unlock one account from the list (asks first; the unlock is audited)."""
        if not self.has_unlock_permission(request):
            raise PermissionDenied
        user = get_object_or_404(User, pk=pk)
        if request.method == "POST" and confirm.confirmed(request):
            cleared = lockout.account_unlock(user=user, by=request.user)
            self.message_user(
                request,
                f"{user.get_username()} can sign in again "
                f"(cleared {cleared} failed-sign-in record(s)).",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:auth_user_changelist"))
        return confirm.confirm_page(
            self,
            request,
            title="Unlock sign-in?",
            intro="Their failed sign-ins are cleared and they can sign in again at once. "
            "Do this only once you know the failures were theirs (a forgotten password), "
            "not someone guessing.",
            items=[_person(user)],
            button="Yes, unlock sign-in",
            ids=[],
        )

    @admin.action(
        description="Reset two-factor sign-in (they set up a new app at next sign-in)",
        permissions=["reset"],
    )
    def reset_two_factor(self, request, queryset):
        if not confirm.confirmed(request):
            return confirm.confirm_page(
                self,
                request,
                title="Reset two-factor sign-in?",
                intro="Their app and recovery codes will stop working, and any open session "
                "of theirs ends; they will set up a new app at the next sign-in. Do this "
                "for a lost or replaced phone.",
                items=[_person(user) for user in queryset],
                button="Yes, reset two-factor sign-in",
                ids=[user.pk for user in queryset],
                action="reset_two_factor",
            )
        for user in queryset:
            twofactor.two_factor_reset(user=user, by=request.user)
        self.message_user(
            request,
            f"Two-factor sign-in reset for {queryset.count()} account(s). Their open sessions "
            "have ended; at the next sign-in they set up their app again.",
            messages.SUCCESS,
        )

    @admin.action(description="Unlock sign-in (clear failed attempts)", permissions=["unlock"])
    def unlock_sign_in(self, request, queryset):
        cleared = sum(lockout.account_unlock(user=user, by=request.user) for user in queryset)
        self.message_user(request, f"Cleared {cleared} failed-sign-in record(s).", messages.SUCCESS)


def _person(user) -> str:
    name = user.get_full_name()
    return f"{user.get_username()}{f' ({name})' if name else ''}"


admin.site.unregister(User)
admin.site.register(User, StaffUserAdmin)


class RolesAdmin(ReadOnlyAdminMixin, GroupAdmin):
    """Roles are defined in code (mindscape/roles.py); here they can only be read."""


admin.site.unregister(Group)
admin.site.register(Group, RolesAdmin)


@admin.register(AccessAttempt)
class LockedSignInAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Failed sign-ins being counted, per account and address; unlock is audited."""

    list_display = ["attempt_time", "username", "ip_address", "failures_since_start"]
    fields = ["attempt_time", "username", "ip_address", "failures_since_start"]
    readonly_fields = fields
    search_fields = ["username", "ip_address"]
    date_hierarchy = "attempt_time"
    actions = ["unlock"]  # instead of deleting: audited

    def has_unlock_permission(self, request) -> bool:
        return request.user.has_perm(UNLOCK_PERMISSION)

    @admin.action(description="Unlock (clear these failed attempts)", permissions=["unlock"])
    def unlock(self, request, queryset):
        count = lockout.attempts_unlock(attempts=list(queryset), by=request.user)
        self.message_user(request, f"Unlocked {count} record(s).", messages.SUCCESS)
