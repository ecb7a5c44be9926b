"""The patient's screening form: an adults-only gate, six steps, review, thank-you, resume.

Each step's answers are saved to the encrypted draft as soon as the step is valid; the
session holds only the draft's number.  Steps are taken in order: a request for a later
step than the first unfinished one is sent back to it (editing the request cannot skip
or replay steps); earlier steps can be revisited and changed (each step after the first
has a Back link).

A phone may be shared, so a draft is closed in the browser's session after
``INTAKE_IDLE_SECONDS`` without a request; ``static/js/intake.js`` warns
``INTAKE_IDLE_WARNING_SECONDS`` before, with a Continue button that extends it, and saves the
page's answers (``save``) before it closes.  Answers saved that way, or on the way Back, are
kept in the encrypted draft as the step's unsent answers and shown again on that step; the
emailed resume link still opens the draft.

Any answer that calls for it shows the crisis panel at once (``static/js/intake.js``) and
again, from the server, on the next page.  Every response is ``no-store`` (the project default).
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clinic import facts as clinic
from mindscape import antispam

from . import escalation, links, services, steps, summary
from .forms import AgeForm, DateOfBirthForm
from .models import Screening

logger = logging.getLogger(__name__)

SESSION_KEY = "intake_screening"
ACTIVE_KEY = "intake_active_at"  # when the session's draft was last used (seconds)
RESUME_URL_KEY = "intake_resume_url"
STAMP_EVERY_SECONDS = 30  # not a session write per click (the pages are told the time left)
THANKS_KEY = "intake_thanks"
CRISIS_KEY = "crisis_level"  # in the draft's answers: the strongest level seen so far
PROGRESS_KEY = "progress"  # in the draft's answers: the codes of finished steps
# What services.draft_risk_update may change: saved with the draft's answers.
DRAFT_RISK_FIELDS = ("draft_urgency", "urgency_reasons", "urgency_scale")
UNSENT_KEY = "unsent"  # in the draft's answers: per step, the page's fields saved unsent
NOT_SAVED_UNSENT = {"website", "form_started"}  # the antispam fields: fresh on every page
MAX_UNSENT_VALUES = 20  # per field (the most options a question has is far fewer)
MAX_UNSENT_LENGTH = 4000  # per value (the longest field the form has)
STEP_CODES = [step.code for step in steps.STEPS]


def _enabled() -> None:
    if not getattr(settings, "INTAKE_FORM_ENABLED", False):
        raise Http404


def _open_in_session(request, screening: Screening) -> None:
    request.session[SESSION_KEY] = screening.pk
    request.session[ACTIVE_KEY] = int(time.time())


def _close_in_session(request) -> None:
    """The draft is no longer open in this browser (it stays in the database)."""
    for key in (SESSION_KEY, ACTIVE_KEY, RESUME_URL_KEY):
        request.session.pop(key, None)


def _draft(request) -> Screening | None:
    """The draft open in this session, and this request counts as activity; None when there
    is none, or when it was left for ``INTAKE_IDLE_SECONDS`` (or carries no time of last
    use): then it is closed in the session first, and ``request.intake_closed`` is set.
    ``request.intake_seconds_left`` is the time the page has before it closes."""
    pk = request.session.get(SESSION_KEY)
    if not pk:
        return None
    last = request.session.get(ACTIVE_KEY)
    now = int(time.time())
    if not isinstance(last, int) or now - last > settings.INTAKE_IDLE_SECONDS:
        _close_in_session(request)
        request.intake_closed = True
        return None
    if now - last >= STAMP_EVERY_SECONDS:
        request.session[ACTIVE_KEY] = last = now
    request.intake_seconds_left = settings.INTAKE_IDLE_SECONDS - (now - last)
    return Screening.objects.filter(pk=pk, status=Screening.Status.DRAFT).first()


def _no_draft(request):
    return redirect("intake:closed" if getattr(request, "intake_closed", False) else "intake:start")


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
                consultation=links.consultation_from(request.GET.get("c")),
            )
            _open_in_session(request, screening)
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
        return _no_draft(request)
    allowed = _first_unfinished(screening)
    if STEP_CODES.index(code) > STEP_CODES.index(allowed):
        return redirect("intake:step", code=allowed)
    current = steps.get_step(code)
    draft = {"identity": dict(screening.identity or {}), "answers": dict(screening.answers or {})}
    unsent = (draft["answers"].get(UNSENT_KEY) or {}).get(code)
    if request.method != "POST" and unsent:
        form = current.form_class.as_left(unsent, draft=draft)
    else:
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
            # Sent now: what was saved unsent for this step is replaced (all of it on sending).
            left = {
                step_code: values
                for step_code, values in (answers.get(UNSENT_KEY) or {}).items()
                if step_code != code and code != "review"
            }
            if left:
                answers[UNSENT_KEY] = left
            else:
                answers.pop(UNSENT_KEY, None)
            screening.identity, screening.answers = draft["identity"], answers
            services.draft_risk_update(screening)
            with transaction.atomic():
                screening.save(
                    update_fields=[*DRAFT_RISK_FIELDS, "identity", "answers", "updated_at"]
                )
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
    index = STEP_CODES.index(code)
    context = {
        "form": form,
        "step": current,
        "number": index + 1,
        "total": len(STEP_CODES),
        "back": steps.STEPS[index - 1] if index else None,
        "idle": {
            "seconds": request.intake_seconds_left,
            "minutes": round(settings.INTAKE_IDLE_SECONDS / 60),
            "warning_seconds": settings.INTAKE_IDLE_WARNING_SECONDS,
            "warning_minutes": max(1, round(settings.INTAKE_IDLE_WARNING_SECONDS / 60)),
        },
        "crisis": crisis_seen,
        "incomplete_message": incomplete_message,
        "done": _progress(screening),
        "resume_url": request.session.pop(RESUME_URL_KEY, ""),
        "summary": summary.summary(draft) if code == "review" else None,
        "steps": steps.STEPS,
        "review": escalation.review_time(),  # the crisis panel says when a clinician will look
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
    request.session[RESUME_URL_KEY] = url
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
    _close_in_session(request)
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
        "review": escalation.review_time(now),
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
            _open_in_session(request, screening)
            return redirect("intake:step", code=_first_unfinished(screening))
    return render(request, "intake/resume.html", {"form": form})


def _unsent_values(request, form) -> dict[str, list[str]]:
    """The page's fields of this step as sent, unchecked but bounded (the step's own fields
    only, never the antispam ones)."""
    values = {}
    for name in form.fields:
        if name in NOT_SAVED_UNSENT:
            continue
        given = [str(v)[:MAX_UNSENT_LENGTH] for v in request.POST.getlist(name)]
        if given:
            values[name] = given[:MAX_UNSENT_VALUES]
    return values


@require_POST
@sensitive_post_parameters()
def save(request, code: str):
    """Saves the answers on a step's page without sending them (``static/js/intake.js``:
    on Continue, on the way Back, and before the form closes, ``end=1``, which then closes
    the draft in this session).  The draft rules hold: a draft open in this session and not
    left too long, no step beyond the first unfinished one, the honeypot and signed start
    time of the first step.  Nothing is checked, nothing is sent, no email is sent: the
    answers are kept (encrypted, with the draft) and shown again on that step."""
    _enabled()
    if code not in STEP_CODES:
        raise Http404
    closed = {"closed": reverse("intake:closed")}
    screening = _draft(request)
    if screening is None:
        return JsonResponse(closed, status=410)
    if STEP_CODES.index(code) > STEP_CODES.index(_first_unfinished(screening)):
        return JsonResponse({"saved": False}, status=409)
    draft = {"identity": dict(screening.identity or {}), "answers": dict(screening.answers or {})}
    form = steps.get_step(code).form_class(request.POST, draft=draft)
    if "website" in form.fields and (
        request.POST.get("website") or antispam.started_at(request.POST.get("form_started")) is None
    ):
        logger.info("Draft save refused: honeypot filled in or no valid start time")
        return JsonResponse({"saved": False}, status=400)
    answers = draft["answers"]
    if code != "review":  # consent and signature are given when sending, never kept
        unsent = dict(answers.get(UNSENT_KEY) or {})
        unsent[code] = _unsent_values(request, form)
        answers[UNSENT_KEY] = unsent
    answers[CRISIS_KEY] = _stronger(answers.get(CRISIS_KEY, "none"), form.crisis)
    screening.answers = answers
    services.draft_risk_update(screening, unsent=form.risk_answers())
    screening.save(update_fields=[*DRAFT_RISK_FIELDS, "answers", "updated_at"])
    if request.POST.get("end") == "1":
        _close_in_session(request)
        return JsonResponse(closed)
    return JsonResponse({"saved": True, "seconds": request.intake_seconds_left})


@require_safe
def closed(request):
    """Where a draft closed for inactivity leads (nothing of the patient's on it)."""
    _enabled()
    return render(request, "intake/closed.html", {"minutes": settings.INTAKE_IDLE_SECONDS // 60})
