"""Staff sign-in pages: password, then the second factor (or its first set-up).

All of them live under the admin's own path (``StaffAdminSite.get_urls``) and render with
the admin's sign-in look.  POST → redirect → GET throughout; nothing changes on GET except
that the set-up page makes the (unconfirmed) device it shows.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth.views import LoginView
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from . import lockout, twofactor
from .forms import CodeForm, RecoveryCodeForm, StaffAuthenticationForm
from .lockout import LockoutHandler


def safe_next(request) -> str:
    candidate = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME)
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("admin:index")


def _with_next(url_name: str, next_url: str) -> str:
    url = reverse(url_name)
    if next_url and next_url != reverse("admin:index"):
        url += "?" + urlencode({REDIRECT_FIELD_NAME: next_url})
    return url


def next_step(request, next_url: str) -> HttpResponseRedirect:
    """Where a signed-in but unverified person goes: the code page, the set-up page, or
    (a session whose device was reset meanwhile) back to the password."""
    user = request.user
    if twofactor.has_device(user):
        return HttpResponseRedirect(_with_next("admin:staff_verify", next_url))
    if request.session.get(twofactor.ENROL_SESSION_KEY):
        return HttpResponseRedirect(_with_next("admin:staff_enrol", next_url))
    request.signout_reason = "second_factor_reset"
    logout(request)
    messages.warning(request, "Your two-factor sign-in was reset. Sign in again to set it up.")
    return HttpResponseRedirect(_with_next("admin:login", next_url))


class StaffLoginView(LoginView):
    form_class = StaffAuthenticationForm
    template_name = "admin/login.html"

    def form_valid(self, form):
        super().form_valid(form)  # signs in (a new session key) and audits
        user = form.get_user()
        next_url = safe_next(self.request)
        needs_factor = twofactor.has_device(user) or twofactor.required()
        if not needs_factor:
            return HttpResponseRedirect(next_url)
        if not twofactor.has_device(user):
            self.request.session[twofactor.ENROL_SESSION_KEY] = True
        return next_step(self.request, next_url)


def _signed_in_unverified(request):
    """None if the request may use the second-factor pages, else where to send it."""
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return HttpResponseRedirect(_with_next("admin:login", safe_next(request)))
    if twofactor.is_verified(user):
        return HttpResponseRedirect(safe_next(request))
    return None


def _render(request, template: str, context: dict, status: int = 200):
    from django.contrib import admin

    return render(
        request,
        template,
        {**admin.site.each_context(request), **context, "next": safe_next(request)},
        status=status,
    )


@sensitive_post_parameters()
@csrf_protect
@never_cache
def verify(request, recovery: bool = False):
    """Second step of sign-in: a code from the app, or a recovery code."""
    if redirect := _signed_in_unverified(request):
        return redirect
    if not twofactor.has_device(request.user):
        return next_step(request, safe_next(request))
    form_class = RecoveryCodeForm if recovery else CodeForm
    form = form_class(request.POST or None)
    wait = 0
    if request.method == "POST" and form.is_valid():
        verdict = twofactor.code_verify(
            request=request, code=form.cleaned_data["code"], recovery=recovery
        )
        wait = verdict.wait
        if verdict.accepted:
            # Signed in: this account's failures from this address no longer count.
            lockout.success_clear(request=request, user=request.user)
            return HttpResponseRedirect(safe_next(request))
        if verdict.reused:
            form.add_error("code", "That code was just used; wait for the next one.")
        elif not wait:
            # Wrong codes count towards the same lockout as wrong passwords.
            from django.contrib.auth.signals import user_login_failed

            user_login_failed.send(
                sender=__name__,
                credentials={"username": request.user.get_username()},
                request=request,
                second_factor=True,
            )
        if not verdict.reused:
            form.add_error(
                "code",
                f"Too many wrong codes: wait {wait} seconds, then try again."
                if wait
                else (
                    "That recovery code did not work. Each code works once; check for typos."
                    if recovery
                    else "That code did not match. Enter the code your app shows now."
                ),
            )
        form.link_errors()
    return _render(
        request,
        "staff/verify.html",
        {
            "form": form,
            "recovery": recovery,
            "title": "Enter a recovery code" if recovery else "Enter your sign-in code",
            "recovery_left": twofactor.remaining_recovery_codes(request.user),
        },
    )


@sensitive_post_parameters()
@csrf_protect
@never_cache
def enrol(request):
    """First sign-in: scan the QR code (or type the secret), confirm with a code."""
    if redirect := _signed_in_unverified(request):
        return redirect
    user = request.user
    if twofactor.has_device(user) or not request.session.get(twofactor.ENROL_SESSION_KEY):
        return next_step(request, safe_next(request))
    device = twofactor.pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.enrolment_confirm(
            request=request, device=device, code=form.cleaned_data["code"]
        ):
            return HttpResponseRedirect(
                _with_next("admin:staff_recovery_codes", safe_next(request))
            )
        form.add_error(
            "code",
            "That code did not match. Check the app shows “MindScape” and enter its current code.",
        )
        form.link_errors()
    return _render(
        request,
        "staff/enrol.html",
        {
            "form": form,
            "title": "Set up two-factor sign-in",
            "qr_svg": twofactor.qr_svg(device),
            "secret": twofactor.secret_text(device),
            "issuer": settings.OTP_TOTP_ISSUER,
        },
    )


@never_cache
def recovery_codes(request):
    """The new recovery codes, shown once (admin_view: needs a verified session)."""
    codes = request.session.pop(twofactor.NEW_CODES_SESSION_KEY, None)
    if not codes:
        return HttpResponseRedirect(reverse("admin:index"))
    return _render(
        request, "staff/recovery_codes.html", {"codes": codes, "title": "Your recovery codes"}
    )


@require_POST
@csrf_protect
@never_cache
def recovery_codes_new(request):
    """Replace one's own recovery codes (admin_view: needs a verified session)."""
    request.session[twofactor.NEW_CODES_SESSION_KEY] = twofactor.recovery_codes_issue(
        user=request.user
    )
    return HttpResponseRedirect(reverse("admin:staff_recovery_codes"))


@require_POST
@csrf_protect
@never_cache
def sign_out(request):
    """Sign out (also from the second-factor pages, before the admin lets one in)."""
    logout(request)
    messages.info(request, "You have signed out.")
    return HttpResponseRedirect(reverse("admin:login"))


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout response: the sign-in page with a clear message, never a bare
    403.  A half-signed-in session (wrong second-factor codes) is signed out."""
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        request.signout_reason = "locked_out"
        logout(request)
    minutes = round(float(settings.AXES_COOLOFF_TIME) * 60)
    scope = LockoutHandler().locked_scope(request, credentials)
    return _render(
        request,
        "admin/login.html",
        {
            "form": StaffAuthenticationForm(request),
            "locked_out": True,
            # "From this device" unless the account itself is locked (failures from many
            # places): then another device would not help, and saying so saves a call.
            "account_locked": scope == "account",
            "lockout_minutes": minutes,
            "title": "Sign-in locked",
            "app_path": reverse("admin:login"),
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
