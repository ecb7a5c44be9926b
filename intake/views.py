"""The patient's screening form: an adults-only gate, six steps, review, thank-you, resume.

Each step's answers are saved to the encrypted draft as soon as the step is valid; the
session holds only the draft's number.  Steps are taken in order: a request for a later
step than the first unfinished one is sent back to it (editing the request cannot skip
or replay steps); earlier steps can be revisited and changed.  Any answer that calls for
it shows the crisis panel at once (``static/js/intake.js``) and again, from the server, on
the next page.  Every response is ``no-store`` (the project default).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from mindscape import antispam, clinic, screening_links

from . import links, services, steps, summary, triage
from .models import Screening

SESSION_KEY = "intake_screening"
THANKS_KEY = "intake_thanks"
CRISIS_KEY = "crisis_level"  # in the draft's answers: the strongest level seen so far
PROGRESS_KEY = "progress"  # in the draft's answers: the codes of finished steps
STEP_CODES = [step.code for step in steps.STEPS]


class AgeForm(antispam.AntiSpamForm):
    adult = forms.ChoiceField(
        label="Are you 18 or older?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Please answer: are you 18 or older?"},
    )


class DateOfBirthForm(forms.Form):
    date_of_birth = forms.DateField(
        label="To open your answers, please confirm your date of birth",
        widget=forms.DateInput({"type": "date", "autocomplete": "bday"}),
        error_messages={"required": "Enter your date of birth.", "invalid": "Enter a date."},
    )


def _enabled() -> None:
    if not getattr(settings, "INTAKE_FORM_ENABLED", False):
        raise Http404


def _draft(request) -> Screening | None:
    pk = request.session.get(SESSION_KEY)
    if not pk:
        return None
    return Screening.objects.filter(pk=pk, status=Screening.Status.DRAFT).first()


def _progress(screening: Screening) -> list[str]:
    return list((screening.answers or {}).get(PROGRESS_KEY, []))


def _first_unfinished(screening: Screening) -> str:
    done = _progress(screening)
    return next((code for code in STEP_CODES if code not in done), STEP_CODES[-1])


def _stronger(level: str, other: str) -> str:
    order = ["none", "calm", "strong"]
    return max(level, other, key=order.index)


def _limited(request, form, scope: str, value: str) -> bool:
    """Count one more draft for this client IP or email address (``INTAKE_RATE_LIMITS``, in
    the shared cache); when over the limit, say so at the top of the form, which is shown
    again with everything typed, and return True."""
    limit = settings.INTAKE_RATE_LIMITS.get(scope)
    try:
        antispam.check_limit(f"intake-draft-{scope}", value, limit, kind=scope)
    except antispam.RateLimited as limited:
        form.add_error(None, limited.message(phone=clinic.facts().phone))
        return True
    return False


@require_http_methods(["GET", "HEAD", "POST"])
def start(request):
    """The adults-only gate (honeypot and start time), then a new draft (drafts per IP
    are limited)."""
    _enabled()
    form = AgeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["adult"] == "no":
            return render(request, "intake/under_18.html")
        if _limited(request, form, "ip", antispam.client_ip(request)):
            status = 429
        else:
            screening = Screening.objects.create(
                answers={PROGRESS_KEY: []},
                consultation_id=screening_links.consultation_id_from(request.GET.get("c")),
            )
            request.session[SESSION_KEY] = screening.pk
            return redirect("intake:step", code=STEP_CODES[0])
    return render(
        request,
        "intake/start.html",
        {"form": form, "draft": _draft(request), "action": request.get_full_path()},
        status=status,
    )


def _email_of(identity) -> str:
    return antispam.normalised_email(str((identity or {}).get("email") or ""))


@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters()
def step(request, code: str):
    _enabled()
    if code not in STEP_CODES:
        raise Http404
    screening = _draft(request)
    if screening is None:
        return redirect("intake:start")
    allowed = _first_unfinished(screening)
    if STEP_CODES.index(code) > STEP_CODES.index(allowed):
        return redirect("intake:step", code=allowed)
    current = steps.get_step(code)
    draft = {"identity": dict(screening.identity or {}), "answers": dict(screening.answers or {})}
    form = current.form_class(request.POST or None, draft=draft)
    crisis_seen = draft["answers"].get(CRISIS_KEY, "none")
    status = 200
    incomplete_message = ""
    if request.method == "POST":
        level = form.crisis
        valid = form.is_valid()
        # "About you" gives the draft an email address: drafts per address are limited
        # (counted when a draft gets a new one, not when the same one is saved again).
        new_email = (
            valid
            and code == "about"
            and _email_of(form.cleaned_data) != _email_of(screening.identity)
        )
        if new_email and _limited(request, form, "email", _email_of(form.cleaned_data)):
            status = 429
            valid = False
        if valid:
            form.save_into(draft)
            answers = draft["answers"]
            answers[CRISIS_KEY] = _stronger(answers.get(CRISIS_KEY, "none"), level)
            # A step shown again for its follow-up questions is unfinished until they are
            # answered (even when it was finished before), so no later step can be sent.
            done = set(answers.get(PROGRESS_KEY, [])) - {code}
            if form.is_complete:
                done.add(code)
            answers[PROGRESS_KEY] = sorted(done, key=STEP_CODES.index)
            screening.identity, screening.answers = draft["identity"], answers
            services.draft_risk_update(screening)
            with transaction.atomic():
                screening.save(update_fields=["identity", "answers", "draft_urgency", "updated_at"])
                if code == "review":
                    return _submit(request, screening, answers[CRISIS_KEY])
            if code == "about":
                _offer_resume_link(request, screening, email_changed=new_email)
            if form.is_complete:
                following = steps.next_step(code)
                return redirect("intake:step", code=following.code if following else "review")
            # Follow-up questions (C-SSRS, PC-PTSD-5) are asked on the same page, saying why.
            incomplete_message = form.incomplete_message
            form = current.form_class(None, draft=draft)
            crisis_seen = answers[CRISIS_KEY]
        else:
            crisis_seen = _stronger(crisis_seen, level)
    context = {
        "form": form,
        "step": current,
        "number": STEP_CODES.index(code) + 1,
        "total": len(STEP_CODES),
        "crisis": crisis_seen,
        "incomplete_message": incomplete_message,
        "done": _progress(screening),
        "resume_url": request.session.pop("intake_resume_url", ""),
        "summary": summary.summary(draft) if code == "review" else None,
        "steps": steps.STEPS,
        "review": triage.review_time(),  # the crisis panel says when a clinician will look
    }
    return render(request, "intake/step.html", context, status=status)


def _offer_resume_link(request, screening: Screening, *, email_changed: bool) -> None:
    """A private link to come back later: shown once on screen and sent by email, at most
    one email per draft in ``INTAKE_RESUME_EMAIL_SECONDS`` (a script saving "about you"
    over and over must not flood a mailbox).  Saved again within that time with the same
    address, the link already sent still works: no new link.  With a new address, a new
    link is shown (the old one, sent to a mistyped address, stops working) but not sent
    until the time has passed."""
    may_email = antispam.first_in(
        "intake-resume-email", str(screening.pk), settings.INTAKE_RESUME_EMAIL_SECONDS
    )
    if not may_email and not email_changed:
        return
    token = links.resume_link_create(screening=screening)
    # From SITE_URL, never the request's Host header: a forged Host would put someone
    # else's address in the link we email.
    url = settings.SITE_URL + reverse("intake:resume", kwargs={"token": token})
    request.session["intake_resume_url"] = url
    email = (screening.identity or {}).get("email")
    if email and may_email:
        hours = settings.INTAKE_RESUME_HOURS
        message = (
            "You can come back to your MindScape form with this private link "
            f"(it works for {hours} hours, and we will ask for your date of birth):\n"
            f"{url}\n\nThis mailbox is not monitored in real time. If you are in crisis, call "
            "or text 988, or call 911.\n"
        )
        transaction.on_commit(
            lambda: send_mail(
                "Your MindScape form: a link to continue",
                message,
                settings.DEFAULT_FROM_EMAIL,
                [email],
                fail_silently=True,
            )
        )


def _submit(request, screening: Screening, crisis: str):
    submitted = services.screening_submit(screening=screening)
    request.session.pop(SESSION_KEY, None)
    request.session[THANKS_KEY] = {
        "crisis": _stronger(crisis, "calm" if submitted.shows_crisis else "none")
    }
    return redirect("intake:thanks")


@require_safe
def thanks(request):
    _enabled()
    seen = request.session.pop(THANKS_KEY, None)
    if seen is None:
        return redirect("intake:start")
    now = timezone.now()
    facts = clinic.facts()
    opens = None if facts.is_open(now) else facts.next_open(now)
    context = {
        "crisis": seen["crisis"],
        "closed": opens is not None,
        "opens": opens.astimezone(facts.tz) if opens else None,
        "review": triage.review_time(now),
    }
    return render(request, "intake/thanks.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters()
def resume(request, token: str):
    """A private link reopens a draft once the date of birth is confirmed."""
    _enabled()
    try:
        links.draft_for(token)
    except links.ResumeRefused as refused:
        return render(request, "intake/resume_refused.html", {"reason": refused.reason}, status=404)
    form = DateOfBirthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            screening = links.resume(token, form.cleaned_data["date_of_birth"])
        except links.ResumeRefused as refused:
            if refused.reason != "wrong_date_of_birth":
                return render(
                    request, "intake/resume_refused.html", {"reason": refused.reason}, status=404
                )
            form.add_error(
                "date_of_birth",
                "That date does not match the one on the form. Please check it and try again.",
            )
        else:
            request.session.cycle_key()
            request.session[SESSION_KEY] = screening.pk
            return redirect("intake:step", code=_first_unfinished(screening))
    return render(request, "intake/resume.html", {"form": form})
