"""The urgency numbers changed meaning (scale "urgency-2", ``intake.flags.Urgency``): recompute
``urgency`` and ``draft_urgency`` of every screening — drafts, sent, reviewed — from its
answers, and record the scale each row was computed with.

Both orders are frozen here as pure functions of the answers (the encrypted fields decrypt
with the configured keys through the historical model), so this migration keeps meaning the
same thing whatever ``intake.flags`` becomes.  Backwards, the numbers are recomputed with the
old order.

What cannot be recomputed is mapped to the stronger possibility:
* the ``draft_urgency`` of a sent screening (the strongest risk seen while filling in: the
  answers given then are gone, only the sent ones are kept);
* a row without the answers to recompute from (none in a real database: every sent screening
  has its PHQ-9 and C-SSRS answers).
The flag part (levels 5-7) is read from the stored flag codes, as it was computed then.
"""

from django.db import migrations

from clinic.crisis import is_crisis_text

NEW_SCALE, OLD_SCALE = "urgency-2", "urgency-1"
NOT_FREE_TEXT = {"consent", "progress", "crisis_level"}
CONTRAINDICATIONS = {
    "ketamine_hypersensitivity",
    "cardiac_disease",
    "aneurysm",
    "arteriovenous_malformation",
    "intracerebral_hemorrhage",
    "stroke",
    "head_injury",
    "pre_eclampsia",
}
NOT_CAUTIONS = {"hypertension_treated", "crisis_wording"}  # information; risk (own rule)
# Where a number cannot be recomputed: the stronger of the levels it may have meant.
OLD_TO_NEW = {1: 1, 2: 2, 3: 2, 4: 3}  # old 3: moderate/item 9 = 1; old 4: Q1 or Q2
NEW_TO_OLD = {1: 1, 2: 2, 3: 3, 4: 3}  # new 3: Q2/crisis wording; new 4: Q1/item 9 = 1


def _texts(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in NOT_FREE_TEXT:
                yield from _texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)


def _facts(answers):
    cssrs = {
        k: v for k, v in (answers.get("cssrs") or {}).items() if type(v) is int and v in (0, 1)
    }
    item9 = (answers.get("phq9") or {}).get("q9")
    item9 = item9 if type(item9) is int and 0 <= item9 <= 3 else None
    crisis = any(is_crisis_text(text) for text in _texts(answers))
    return cssrs, item9, crisis


def _flag_level(flag_codes):
    codes = set(flag_codes or ())
    if codes & CONTRAINDICATIONS:
        return 5
    if codes - NOT_CAUTIONS:
        return 6
    return 7


def new_risk(answers):
    """Scale 2: (level 1-4 or None, reason codes)."""
    cssrs, item9, crisis = _facts(answers)

    def yes(code):
        return cssrs.get(code) == 1

    recency = cssrs.get("q6_recent")
    fired = [
        ("cssrs_q4", 1, yes("q4")),
        ("cssrs_q5", 1, yes("q5")),
        ("cssrs_behaviour_recent", 1, yes("q6") and recency == 1),
        ("cssrs_behaviour_recency_unknown", 1, yes("q6") and recency is None),
        ("phq9_item9_3", 2, item9 == 3),
        ("phq9_item9_2", 2, item9 == 2),
        ("cssrs_q3", 2, yes("q3")),
        ("cssrs_behaviour_past", 2, yes("q6") and recency == 0),
        ("cssrs_q2", 3, yes("q2")),
        ("crisis_wording", 3, crisis),
        ("cssrs_q1", 4, yes("q1")),
        ("phq9_item9_1", 4, item9 == 1),
    ]
    hits = [(code, level) for code, level, hit in fired if hit]
    return min((level for _, level in hits), default=None), [code for code, _ in hits]


def old_risk(answers, *, draft):
    """Scale 1: a submitted screening's number had no crisis-wording rule; a draft's was
    at least 3 with crisis wording.  An unanswered recency counted as "no"."""
    cssrs, item9, crisis = _facts(answers)

    def yes(code):
        return cssrs.get(code) == 1

    recent = yes("q6") and cssrs.get("q6_recent") == 1
    if yes("q4") or yes("q5") or recent:
        level = 1
    elif item9 in (2, 3):
        level = 2
    elif yes("q3") or yes("q6") or item9 == 1:
        level = 3
    elif yes("q1") or yes("q2"):
        level = 4
    else:
        level = None
    if draft and crisis:
        level = min(level or 3, 3)
    return level


def _recomputable(answers):
    return bool(answers.get("phq9") or answers.get("cssrs"))


def _mapped(value, table):
    return table.get(value, value) if value is not None else None


def _draft_level(stored, recomputed_old, recomputed_new, table, *, draft):
    """A ``draft_urgency`` on the other scale.  It is the strongest risk seen while the form
    was filled in: when today's answers explain it, it is recomputed from them; when they do
    not (a risk answer changed since), the stronger of both readings is kept."""
    if stored is None and not draft:
        return None
    if stored == recomputed_old:
        return recomputed_new
    return min((x for x in (recomputed_new, _mapped(stored, table)) if x), default=None)


def forwards(apps, schema_editor):
    Screening = apps.get_model("intake", "Screening")
    for screening in Screening.objects.all().iterator(chunk_size=200):
        answers = screening.answers or {}
        level, reasons = new_risk(answers)
        if screening.urgency is not None:
            if _recomputable(answers):
                flag_level = _flag_level(screening.flag_codes)
                if flag_level < 7:
                    reasons.append("label_contraindication" if flag_level == 5 else "caution")
                screening.urgency = min(level or 7, flag_level)
            else:
                screening.urgency = _mapped(screening.urgency, OLD_TO_NEW)
        screening.draft_urgency = _draft_level(
            screening.draft_urgency,
            old_risk(answers, draft=True),
            level,
            OLD_TO_NEW,
            draft=screening.status == "draft",
        )
        screening.urgency_reasons = reasons
        screening.urgency_scale = NEW_SCALE
        screening.save(
            update_fields=["urgency", "draft_urgency", "urgency_reasons", "urgency_scale"]
        )


def backwards(apps, schema_editor):
    Screening = apps.get_model("intake", "Screening")
    for screening in Screening.objects.all().iterator(chunk_size=200):
        answers = screening.answers or {}
        if screening.urgency is not None:
            if _recomputable(answers):
                level = old_risk(answers, draft=False)
                screening.urgency = min(level or 7, _flag_level(screening.flag_codes))
            else:
                screening.urgency = _mapped(screening.urgency, NEW_TO_OLD)
        screening.draft_urgency = _draft_level(
            screening.draft_urgency,
            new_risk(answers)[0],
            old_risk(answers, draft=True),
            NEW_TO_OLD,
            draft=screening.status == "draft",
        )
        screening.urgency_reasons = []
        screening.urgency_scale = OLD_SCALE
        screening.save(
            update_fields=["urgency", "draft_urgency", "urgency_reasons", "urgency_scale"]
        )


class Migration(migrations.Migration):
    dependencies = [("intake", "0009_urgency_scale")]

    operations = [migrations.RunPython(forwards, backwards)]
