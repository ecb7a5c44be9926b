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

from mindscape import clinic, screening_links

from . import links, services, steps, summary, triage
from .models import Screening

SESSION_KEY = "intake_screening"
THANKS_KEY = "intake_thanks"
CRISIS_KEY = "crisis_level"  # in the draft's answers: the strongest level seen so far
PROGRESS_KEY = "progress"  # in the draft's answers: the codes of finished steps
STEP_CODES = [step.code for step in steps.STEPS]


class AgeForm(forms.Form):
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


@require_http_methods(["GET", "HEAD", "POST"])
def start(request):
    """The adults-only gate, then a new draft."""
    _enabled()
    form = AgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["adult"] == "no":
            return render(request, "intake/under_18.html")
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
    )


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
    if request.method == "POST":
        level = form.crisis
        if form.is_valid():
            form.save_into(draft)
            answers = draft["answers"]
            answers[CRISIS_KEY] = _stronger(answers.get(CRISIS_KEY, "none"), level)
            if form.is_complete:
                answers[PROGRESS_KEY] = sorted(
                    {*answers.get(PROGRESS_KEY, []), code}, key=STEP_CODES.index
                )
            screening.identity, screening.answers = draft["identity"], answers
            services.draft_risk_update(screening)
            with transaction.atomic():
                screening.save(update_fields=["identity", "answers", "draft_urgency", "updated_at"])
                if code == "review":
                    return _submit(request, screening, answers[CRISIS_KEY])
            if code == "about":
                _offer_resume_link(request, screening)
            if form.is_complete:
                following = steps.next_step(code)
                return redirect("intake:step", code=following.code if following else "review")
            # The C-SSRS asks its follow-up questions on the same page.
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
        "done": _progress(screening),
        "resume_url": request.session.pop("intake_resume_url", ""),
        "summary": summary.summary(draft) if code == "review" else None,
        "steps": steps.STEPS,
        "review": triage.review_time(),  # the crisis panel says when a clinician will look
    }
    return render(request, "intake/step.html", context)


def _offer_resume_link(request, screening: Screening) -> None:
    """A private link to come back later: shown once on screen and sent by email."""
    token = links.resume_link_create(screening=screening)
    url = request.build_absolute_uri(reverse("intake:resume", kwargs={"token": token}))
    request.session["intake_resume_url"] = url
    email = (screening.identity or {}).get("email")
    if email:
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
