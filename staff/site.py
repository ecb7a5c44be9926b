"""The admin site: the stock one, plus a second factor, our sign-in pages and sign-out.

``admin.site`` everywhere is an instance of this class (``StaffAdminConfig.default_site``),
so every app's ``@admin.register`` lands here unchanged.
"""

from __future__ import annotations

from django.contrib import admin
from django.urls import path
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache

from . import twofactor


class StaffAdminSite(admin.AdminSite):
    site_header = "MindScape staff"
    site_title = "MindScape staff"
    index_title = "Front desk, content and screenings"

    def has_permission(self, request) -> bool:
        """Staff who have also passed the second factor (or, where development relaxed
        it, who have no device to pass)."""
        user = request.user
        if not super().has_permission(request):
            return False
        if twofactor.is_verified(user):
            return True
        return not twofactor.required() and not twofactor.has_device(user)

    @method_decorator(never_cache)
    def login(self, request, extra_context=None):
        from django.http import HttpResponseRedirect

        from .views import StaffLoginView, next_step, safe_next

        user = request.user
        if request.method == "GET" and self.has_permission(request):
            return HttpResponseRedirect(safe_next(request))
        if request.method == "GET" and user.is_authenticated and user.is_staff:
            return next_step(request, safe_next(request))
        context = {
            **self.each_context(request),
            "title": "Staff sign-in",
            "subtitle": None,
            "app_path": request.get_full_path(),
            "next": safe_next(request),
            **(extra_context or {}),
        }
        request.current_app = self.name
        return StaffLoginView.as_view(extra_context=context)(request)

    def get_urls(self):
        from . import views

        wrap = self.admin_view
        return [
            # Ours first: the stock logout refuses a session that has not passed the
            # second factor yet (has_permission), so it could never sign out.
            path("logout/", views.sign_out, name="logout"),
            path("sign-in/code/", views.verify, name="staff_verify"),
            path(
                "sign-in/recovery-code/",
                views.verify,
                {"recovery": True},
                name="staff_verify_recovery",
            ),
            path("sign-in/set-up/", views.enrol, name="staff_enrol"),
            path(
                "sign-in/recovery-codes/",
                wrap(views.recovery_codes),
                name="staff_recovery_codes",
            ),
            path(
                "sign-in/recovery-codes/new/",
                wrap(views.recovery_codes_new),
                name="staff_recovery_codes_new",
            ),
            *super().get_urls(),
        ]
