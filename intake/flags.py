"""Medical pre-screen flags and the one urgency order: tables plus pure functions.

**Flags never decide anything.**  Nothing here diagnoses, approves or refuses anyone.  A
flag points a clinician at one answer and says in plain words why it matters; every flag
needs clinician review, and the clinician decides.  At most the site holds a screening for
review ("A clinician will review your answers before scheduling"); it never turns a flag
into a yes or a no.

Tables only, and no Django: the questions, the flag rules, the medication groups, the
urgency order with its labels, bands and reasons.  The functions that read them
(``evaluate``, ``triage``, ``urgency``, ...) are beside them in ``flagging.py``; the
thresholds block of the settings is read by ``services.clinical_thresholds``.

Source: ``../shared/clinical-reference.md`` §6.1 (label contraindications), §6.2 (cautions),
§6.3 (interacting medicines), §6.4 (data model), §2.3 and §7.1 (risk and crisis).

Severity hints
    ``contraindication``  the condition is in the contraindication list of a product label
        in §6.1: U.S. Ketalar, the UK Ketalar SmPC, or Spravato (which clinics often apply
        to IV ketamine by analogy).  It says "a label lists this", not "this patient may
        not be treated".
    ``caution``  a §6.2 caution, or an interacting medicine of §6.3.
    ``information``  for the clinician's picture only (lamotrigine, §6.3: the evidence
        does not establish that it reduces ketamine's effect; never a hard stop).

§6.1 items and the flags that carry them
    Ketalar (U.S.): hypersensitivity -> ``ketamine_hypersensitivity``; "a significant rise
        in blood pressure would be a serious hazard" is the clinician's judgement, informed
        by the blood-pressure, heart and blood-vessel flags below.
    Ketalar (UK SmPC): ``pre_eclampsia``, ``cardiac_disease`` (severe coronary or heart
        muscle disease), ``stroke`` (cerebrovascular accident), ``head_injury`` (cerebral
        trauma).
    Spravato: ``aneurysm``, ``arteriovenous_malformation``, ``intracerebral_hemorrhage``,
        hypersensitivity (as above).
§6.2 items not answerable ahead of the visit: intoxication on the day and whether fasting
instructions were followed are checked at the visit; the pre-screen asks only whether a
ride home and fasting are possible.

Numbers (the blood-pressure levels, the PC-PTSD-5 cut-off) live in one settings block owned
by the medical director, ``settings.INTAKE_CLINICAL_THRESHOLDS``; ``DEFAULT_THRESHOLDS``
here is only the documented fallback for a key the block leaves out.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

# Stored with every pre-screen answer set, so a flag can be traced to the wording it came from.
PRESCREEN_VERSION = "mindscape-prescreen-1"

# Form copy rule of §6.3, shown beside the medication questions.
MEDICATION_NOTICE = (
    "Please do not stop or change any medicine, especially a benzodiazepine, without talking "
    "to the doctor who prescribes it. Stopping some medicines suddenly can be dangerous."
)


# --- Thresholds (values: settings.INTAKE_CLINICAL_THRESHOLDS, owned by the medical director) --

DEFAULT_THRESHOLDS: Mapping[str, int] = MappingProxyType(
    {
        # §6.2, Spravato prescribing-information digest: weigh risk if blood pressure is above
        # 140/90.  A reading strictly above either number raises a caution.  The hold
        # threshold for IV infusions is the clinic's own and is not encoded here.
        "blood_pressure_systolic_above": 140,
        "blood_pressure_diastolic_above": 90,
        # §4.1: PC-PTSD-5 count at or above this is flagged for clinician follow-up (3 is
        # the most sensitive cut-off; 4 balanced errors best in veterans).  Read by the
        # instruments' scoring, kept here so every clinical number is in one block.
        "pc_ptsd5_cutoff": 3,
    }
)


# --- Flags -------------------------------------------------------------------------------


class Severity(enum.StrEnum):
    """Severity hint of a flag, most severe first (the order flags are listed in)."""

    CONTRAINDICATION = "contraindication"  # a §6.1 label lists it
    CAUTION = "caution"
    INFORMATION = "information"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


Answer = bool | int | str


@dataclass(frozen=True)
class Flag:
    """One answer worth a clinician's attention.  It decides nothing.

    ``question`` and ``answer`` are the answer that raised it.  For a medicine named in the
    free-text list, ``answer`` is the keyword from our table that matched, never the text the
    patient typed (which could hold anything and is kept only with the encrypted answers).
    """

    code: str
    question: str
    answer: Answer
    reason: str
    severity: Severity
    is_medication: bool = False

    @property
    def requires_clinician_review(self) -> bool:
        return True  # always: §6.4

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, in the shape of §6.4's ``medical_flags[]``."""
        return {
            "code": self.code,
            "question": self.question,
            "patient_answer": self.answer,
            "reason": self.reason,
            "severity_hint": str(self.severity),
            "is_medication": self.is_medication,
            "requires_clinician_review": True,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Flag:
        return cls(
            code=data["code"],
            question=data["question"],
            answer=data["patient_answer"],
            reason=data["reason"],
            severity=Severity(data["severity_hint"]),
            is_medication=bool(data.get("is_medication", False)),
        )


# --- The pre-screen questions --------------------------------------------------------------


class AnswerType(enum.StrEnum):
    YES_NO = "yes_no"  # bool
    CHOICE = "choice"  # one of ``choices`` (a str)
    NUMBER = "number"  # int within min_value..max_value
    MULTI_CHOICE = "multi_choice"  # list of ``choices`` values, possibly empty
    TEXT = "text"  # str, possibly empty


@dataclass(frozen=True)
class Question:
    """One pre-screen question as the patient's form renders it.

    ``min_value``/``max_value`` only catch typing slips; they are not clinical thresholds.
    """

    code: str
    text: str
    answer_type: AnswerType
    choices: tuple[tuple[str, str], ...] = ()  # (value, label for patients)
    required: bool = True
    min_value: int | None = None
    max_value: int | None = None


@dataclass(frozen=True)
class MedicationCategory:
    """A tick box of the medication question and the flag it raises (§6.3)."""

    code: str
    label: str  # for patients
    flag_code: str
    severity: Severity
    reason: str
    keywords: frozenset[str]  # generic and brand names, lower case, matched as whole words


def _names(words: str) -> frozenset[str]:
    return frozenset(words.split())


_SEDATION = (
    "With ketamine, benzodiazepines, opioids and other central nervous system depressants may "
    "cause profound sedation, slowed breathing, coma or death (Ketalar label); monitor "
    "sedation closely."
)

MEDICATION_CATEGORIES: tuple[MedicationCategory, ...] = (
    MedicationCategory(
        "benzodiazepine",
        "Benzodiazepines, for anxiety, sleep or seizures (for example alprazolam/Xanax, "
        "clonazepam/Klonopin, diazepam/Valium, lorazepam/Ativan)",
        "medication_benzodiazepine",
        Severity.CAUTION,
        f"Takes a benzodiazepine. {_SEDATION} Higher doses may also blunt the antidepressant "
        "response (Andrashko 2020; Feeney 2023). The patient was told not to stop or change it "
        "without their prescriber: stopping suddenly can cause dangerous withdrawal.",
        _names(
            "alprazolam xanax clonazepam klonopin diazepam valium lorazepam ativan temazepam "
            "restoril chlordiazepoxide librium clobazam onfi sympazan oxazepam clorazepate "
            "tranxene triazolam halcion estazolam flurazepam midazolam"
        ),
    ),
    MedicationCategory(
        "sleep_medicine",
        "Other sleeping pills (for example zolpidem/Ambien, eszopiclone/Lunesta, zaleplon/Sonata)",
        "medication_sleep_medicine",
        Severity.CAUTION,
        f"Takes a sedative sleeping medicine. {_SEDATION}",
        _names("zolpidem ambien eszopiclone lunesta zopiclone zaleplon sonata"),
    ),
    MedicationCategory(
        "opioid",
        "Opioid painkillers or treatment for opioid use (for example oxycodone, hydrocodone, "
        "morphine, codeine, tramadol, fentanyl, methadone, buprenorphine)",
        "medication_opioid",
        Severity.CAUTION,
        f"Takes an opioid. {_SEDATION}",
        _names(
            "oxycodone oxycontin percocet hydrocodone vicodin norco morphine codeine tramadol "
            "ultram tapentadol nucynta fentanyl hydromorphone dilaudid oxymorphone methadone "
            "buprenorphine suboxone subutex"
        ),
    ),
    MedicationCategory(
        "gabapentinoid",
        "Gabapentin (Neurontin) or pregabalin (Lyrica)",
        "medication_gabapentinoid",
        Severity.CAUTION,
        f"Takes a gabapentinoid, a central nervous system depressant. {_SEDATION}",
        _names("gabapentin neurontin gralise pregabalin lyrica"),
    ),
    MedicationCategory(
        "maoi",
        "MAOI antidepressants or Parkinson's medicines (for example phenelzine/Nardil, "
        "tranylcypromine/Parnate, isocarboxazid/Marplan, selegiline/Emsam, rasagiline)",
        "medication_maoi",
        Severity.CAUTION,
        "Takes a monoamine oxidase inhibitor (MAOI): may increase blood pressure with "
        "ketamine or esketamine; monitor blood pressure closely (Spravato label).",
        _names(
            "phenelzine nardil tranylcypromine parnate isocarboxazid marplan selegiline emsam "
            "zelapar rasagiline azilect safinamide xadago moclobemide"
        ),
    ),
    MedicationCategory(
        "stimulant",
        "Stimulants, for ADHD or sleepiness (for example Adderall, Vyvanse, methylphenidate/"
        "Ritalin/Concerta, modafinil/Provigil, armodafinil/Nuvigil)",
        "medication_stimulant",
        Severity.CAUTION,
        "Takes a psychostimulant: may increase blood pressure with ketamine or esketamine "
        "(Spravato label).",
        _names(
            "amphetamine dextroamphetamine dexamfetamine adderall dexedrine lisdexamfetamine "
            "vyvanse methamphetamine desoxyn methylphenidate ritalin concerta dexmethylphenidate "
            "focalin modafinil provigil armodafinil nuvigil"
        ),
    ),
    MedicationCategory(
        "theophylline",
        "Theophylline or aminophylline, for breathing",
        "medication_theophylline",
        Severity.CAUTION,
        "Takes theophylline or aminophylline: the Ketalar label says not to give them together "
        "with ketamine, as the combination may lower the seizure threshold.",
        _names("theophylline aminophylline"),
    ),
    # Sedating medicines (§6.2 "concurrent sedatives", §6.3 "other CNS depressants"): the
    # same sedation and breathing risk as the classes above.
    MedicationCategory(
        "sedating_antipsychotic",
        "Sedating antipsychotic medicines (for example quetiapine/Seroquel, olanzapine/"
        "Zyprexa, clozapine/Clozaril, chlorpromazine)",
        "medication_sedating_antipsychotic",
        Severity.CAUTION,
        f"Takes a sedating antipsychotic, a central nervous system depressant. {_SEDATION}",
        _names(
            "quetiapine seroquel olanzapine zyprexa symbyax clozapine clozaril versacloz "
            "chlorpromazine thorazine thioridazine loxapine loxitane asenapine saphris"
        ),
    ),
    MedicationCategory(
        "sedating_antihistamine",
        "Sedating antihistamines, including night-time sleep aids (for example diphenhydramine/"
        "Benadryl, doxylamine/Unisom, hydroxyzine/Vistaril, promethazine/Phenergan)",
        "medication_sedating_antihistamine",
        Severity.CAUTION,
        f"Takes a sedating antihistamine, a central nervous system depressant. {_SEDATION}",
        _names(
            "diphenhydramine benadryl zzzquil doxylamine unisom hydroxyzine vistaril atarax "
            "promethazine phenergan chlorpheniramine chlorphenamine cyproheptadine "
            "dimenhydrinate dramamine"
        ),
    ),
    MedicationCategory(
        "muscle_relaxant",
        "Muscle relaxants (for example cyclobenzaprine/Flexeril, carisoprodol/Soma, "
        "methocarbamol/Robaxin, tizanidine/Zanaflex, baclofen)",
        "medication_muscle_relaxant",
        Severity.CAUTION,
        f"Takes a muscle relaxant, a central nervous system depressant. {_SEDATION}",
        _names(
            "cyclobenzaprine flexeril amrix carisoprodol soma methocarbamol robaxin tizanidine "
            "zanaflex baclofen lioresal metaxalone skelaxin orphenadrine norflex chlorzoxazone"
        ),
    ),
    MedicationCategory(
        "lamotrigine",
        "Lamotrigine (Lamictal)",
        "medication_lamotrigine",
        Severity.INFORMATION,
        "Takes lamotrigine. For information only: the evidence does not establish that it "
        "reduces ketamine's antidepressant effect (Anand 2000; Mathew 2010; Andrade 2017). "
        "Many clinics ask because of a theoretical mechanism; not a hard stop.",
        _names("lamotrigine lamictal"),
    ),
)

_YES_NO = AnswerType.YES_NO

PRESCREEN_QUESTIONS: tuple[Question, ...] = (
    Question(
        "ketamine_allergy",
        "Have you ever had an allergic reaction to ketamine or esketamine (Spravato)?",
        _YES_NO,
    ),
    Question(
        "ketamine_bad_reaction",
        "Have you ever had any other bad reaction to ketamine or esketamine (Spravato)?",
        _YES_NO,
    ),
    Question(
        "high_blood_pressure",
        "Have you been told you have high blood pressure?",
        AnswerType.CHOICE,
        choices=(
            ("no", "No"),
            ("yes_controlled", "Yes, and it is under control with treatment"),
            ("yes_not_controlled", "Yes, and it is still high or not under control"),
            ("not_sure", "I'm not sure"),
        ),
    ),
    Question(
        "bp_systolic",
        "If you know your most recent blood pressure reading, what was the top number? "
        "Leave this empty if you don't know.",
        AnswerType.NUMBER,
        required=False,
        min_value=50,
        max_value=300,
    ),
    Question(
        "bp_diastolic",
        "And the bottom number? Leave this empty if you don't know.",
        AnswerType.NUMBER,
        required=False,
        min_value=30,
        max_value=200,
    ),
    Question(
        "heart_disease",
        "Have you ever had a heart attack, or been told you have angina (chest pain from the "
        "heart), heart failure or a serious irregular heartbeat?",
        _YES_NO,
    ),
    Question(
        "aneurysm",
        "Have you been told you have an aneurysm (a bulge in a blood vessel), in the brain, "
        "chest, belly or anywhere else?",
        _YES_NO,
    ),
    Question(
        "avm",
        "Have you been told you have an arteriovenous malformation (AVM), a tangle of blood "
        "vessels?",
        _YES_NO,
    ),
    Question("brain_bleed", "Have you ever had bleeding inside your brain?", _YES_NO),
    Question("stroke", "Have you ever had a stroke?", _YES_NO),
    Question("head_injury", "Have you recently had a serious head or brain injury?", _YES_NO),
    Question(
        "intracranial_pressure",
        "Have you been told you have raised pressure inside your head, a growth in your head "
        "(such as a brain tumor), or hydrocephalus (fluid on the brain)?",
        _YES_NO,
    ),
    Question(
        "eye_pressure",
        "Do you have glaucoma or high pressure in your eyes, or a recent serious eye injury?",
        _YES_NO,
    ),
    Question(
        "psychosis",
        "Have you ever been diagnosed with schizophrenia, schizoaffective disorder or another "
        "psychotic illness, or had psychosis (for example hearing or seeing things other people "
        "did not, or strong beliefs that others said were not real), including now?",
        _YES_NO,
    ),
    Question("bipolar", "Have you been diagnosed with bipolar disorder?", _YES_NO),
    Question(
        "mania_now",
        "Right now, are you going through a time of unusually high or irritable mood, with much "
        "more energy and much less need for sleep than usual?",
        _YES_NO,
    ),
    Question(
        "substance_use_problem",
        "Do you currently have a problem with alcohol or drugs, or are you being treated for one?",
        _YES_NO,
    ),
    # §6.2/§6.3: alcohol is a central nervous system depressant.  Shown to the clinician as
    # given, with no score and no cut-off: the reference gives none.  Optional like the
    # blood-pressure readings (a number field may be left empty).
    Question(
        "alcohol_drinks_per_week",
        "In a typical week, how many alcoholic drinks do you have?",
        AnswerType.NUMBER,
        required=False,
        min_value=0,
        max_value=500,
    ),
    Question(
        "ketamine_pcp_nonmedical_use",
        "Have you ever used ketamine or PCP other than as a treatment from a doctor?",
        _YES_NO,
    ),
    Question(
        "pregnant",
        "Are you pregnant, or could you be pregnant?",
        AnswerType.CHOICE,
        choices=(
            ("no", "No, or this does not apply to me"),
            ("yes", "Yes"),
            ("not_sure", "I'm not sure"),
        ),
    ),
    Question("breastfeeding", "Are you breastfeeding?", _YES_NO),
    Question(
        "pre_eclampsia",
        "Do you have pre-eclampsia or eclampsia (dangerously high blood pressure during or "
        "just after pregnancy)?",
        _YES_NO,
    ),
    Question(
        "liver_disease",
        "Have you been told you have serious liver disease, such as cirrhosis?",
        _YES_NO,
    ),
    Question(
        "bladder_symptoms",
        "Do you have ongoing bladder or urinary problems, such as pain when you pass urine, "
        "needing to go often or urgently, or blood in your urine?",
        _YES_NO,
    ),
    Question(
        "breathing_condition",
        "Do you have a long-term lung or breathing condition, or sleep apnea?",
        _YES_NO,
    ),
    Question(
        "overactive_thyroid_untreated",
        "Do you have an overactive thyroid (hyperthyroidism) that is not being treated?",
        _YES_NO,
    ),
    Question("porphyria", "Have you been told you have porphyria?", _YES_NO),
    Question(
        "ride_home",
        "After each treatment you must not drive until the next day, after a night's sleep. "
        "Will someone be able to take you home?",
        _YES_NO,
    ),
    Question(
        "fasting_difficult",
        "Before each treatment we will ask you not to eat or drink for some hours. Is there "
        "any reason this would be hard for you?",
        _YES_NO,
    ),
    Question(
        "medication_categories",
        "Do you take any of these medicines? Tick all that apply.",
        AnswerType.MULTI_CHOICE,
        choices=tuple((c.code, c.label) for c in MEDICATION_CATEGORIES),
    ),
    Question(
        "medication_names",
        "Please list every medicine you take, with the dose if you know it, including ones "
        "bought without a prescription.",
        AnswerType.TEXT,
        required=False,
    ),
)

QUESTIONS_BY_CODE: Mapping[str, Question] = MappingProxyType(
    {q.code: q for q in PRESCREEN_QUESTIONS}
)


@dataclass(frozen=True)
class _Rule:
    """A condition flag: raised when ``question``'s answer is in ``when``, or, for a number,
    strictly above the threshold named ``above``.  ``reason`` may use {answer} and {limit}."""

    code: str
    question: str
    severity: Severity
    reason: str
    when: frozenset = frozenset({True})
    above: str | None = None

    def flag(self, value: Answer, limits: Mapping[str, int]) -> Flag | None:
        if self.above is not None:
            if value <= limits[self.above]:
                return None
            reason = self.reason.format(answer=value, limit=limits[self.above])
        elif value in self.when:  # answers are type-checked first, so True never meets 1
            reason = self.reason
        else:
            return None
        return Flag(self.code, self.question, value, reason, self.severity)


_C, _W, _I = Severity.CONTRAINDICATION, Severity.CAUTION, Severity.INFORMATION
_BP_RISE = "Ketamine briefly raises blood pressure and heart rate."

CONDITION_RULES: tuple[_Rule, ...] = (
    # §6.1 label contraindications
    _Rule(
        "ketamine_hypersensitivity",
        "ketamine_allergy",
        _C,
        "Reports an allergic reaction to ketamine or esketamine. Known hypersensitivity is a "
        "contraindication on both the Ketalar and Spravato labels.",
    ),
    _Rule(
        "cardiac_disease",
        "heart_disease",
        _C,
        "Reports a heart attack, angina, heart failure or a serious irregular heartbeat. "
        f"{_BP_RISE} It raises the heart's oxygen demand; arrhythmias and cardiac "
        "decompensation are reported reactions. The UK Ketalar label lists severe coronary or "
        "heart muscle disease as a contraindication; how severe this is needs a clinician.",
    ),
    _Rule(
        "aneurysm",
        "aneurysm",
        _C,
        f"Reports an aneurysm. {_BP_RISE} Aneurysmal vascular disease is a contraindication on "
        "the Spravato label.",
    ),
    _Rule(
        "arteriovenous_malformation",
        "avm",
        _C,
        f"Reports an arteriovenous malformation. {_BP_RISE} It is a contraindication on the "
        "Spravato label.",
    ),
    _Rule(
        "intracerebral_hemorrhage",
        "brain_bleed",
        _C,
        f"Reports bleeding inside the brain. {_BP_RISE} A history of intracerebral hemorrhage "
        "is a contraindication on the Spravato label.",
    ),
    _Rule(
        "stroke",
        "stroke",
        _C,
        f"Reports a stroke. {_BP_RISE} The UK Ketalar label lists cerebrovascular accident as "
        "a contraindication.",
    ),
    _Rule(
        "head_injury",
        "head_injury",
        _C,
        "Reports a recent serious head or brain injury. The UK Ketalar label lists cerebral "
        "trauma as a contraindication; ketamine may raise intracranial pressure.",
    ),
    _Rule(
        "pre_eclampsia",
        "pre_eclampsia",
        _C,
        "Reports pre-eclampsia or eclampsia. The UK Ketalar label lists both as contraindications.",
    ),
    # §6.2 cautions
    _Rule(
        "ketamine_prior_adverse_reaction",
        "ketamine_bad_reaction",
        _W,
        "Reports a bad reaction to ketamine or esketamine before (not an allergy). Ask what "
        "happened.",
    ),
    _Rule(
        "hypertension_uncontrolled",
        "high_blood_pressure",
        _W,
        f"Reports high blood pressure that is not under control. {_BP_RISE} Measure before "
        "dosing and monitor during and after; the clinic sets its own hold threshold.",
        when=frozenset({"yes_not_controlled"}),
    ),
    _Rule(
        "hypertension_unknown",
        "high_blood_pressure",
        _W,
        f"Not sure whether they have high blood pressure. {_BP_RISE} Measure before dosing; "
        "an unknown blood pressure is not a normal one.",
        when=frozenset({"not_sure"}),
    ),
    _Rule(
        "hypertension_treated",
        "high_blood_pressure",
        _I,
        f"Reports high blood pressure under control with treatment. {_BP_RISE} Measure "
        "before dosing.",
        when=frozenset({"yes_controlled"}),
    ),
    _Rule(
        "blood_pressure_systolic_high",
        "bp_systolic",
        _W,
        "Reports a recent top (systolic) reading of {answer}, above {limit} mmHg. "
        f"{_BP_RISE} Spravato's guide: weigh the risk above 140/90.",
        above="blood_pressure_systolic_above",
    ),
    _Rule(
        "blood_pressure_diastolic_high",
        "bp_diastolic",
        _W,
        "Reports a recent bottom (diastolic) reading of {answer}, above {limit} mmHg. "
        f"{_BP_RISE} Spravato's guide: weigh the risk above 140/90.",
        above="blood_pressure_diastolic_above",
    ),
    _Rule(
        "raised_intracranial_pressure",
        "intracranial_pressure",
        _W,
        "Reports raised pressure in the head, a growth in the head or hydrocephalus. Ketalar: "
        "special caution with raised cerebrospinal fluid pressure; Spravato: do not give if a "
        "rise in blood pressure or intracranial pressure poses a serious risk.",
    ),
    _Rule(
        "raised_intraocular_pressure",
        "eye_pressure",
        _W,
        "Reports glaucoma, high eye pressure or a recent serious eye injury. Ketamine can raise "
        "pressure in the eye (Ketalar label); anesthesia texts list an open eye injury as a "
        "contraindication.",
    ),
    _Rule(
        "psychosis",
        "psychosis",
        _W,
        "Reports a psychotic illness or psychosis, now or in the past. Ketamine can cause "
        "psychotic symptoms and worsened them in schizophrenia; Spravato: start only if the "
        "benefit outweighs the risk.",
    ),
    _Rule(
        "bipolar_disorder",
        "bipolar",
        _W,
        "Reports bipolar disorder: risk of a switch into mania; needs psychiatric oversight.",
    ),
    _Rule(
        "mania_current",
        "mania_now",
        _W,
        "Describes a current spell of high or irritable mood with more energy and less need "
        "for sleep (possible mania or hypomania): risk of mood switching.",
    ),
    _Rule(
        "substance_use_disorder",
        "substance_use_problem",
        _W,
        "Reports a current problem with alcohol or drugs. Ketamine is Schedule III with "
        "misuse potential; assess substance use (urine toxicology when indicated) and check "
        "for intoxication on the day.",
    ),
    _Rule(
        "ketamine_or_pcp_misuse",
        "ketamine_pcp_nonmedical_use",
        _W,
        "Reports using ketamine or PCP other than as a treatment. Higher misuse risk; frequent "
        "ketamine use is linked to bladder damage, so ask about urinary symptoms.",
    ),
    _Rule(
        "pregnancy",
        "pregnant",
        _W,
        "Reports being or possibly being pregnant. Spravato: embryo-fetal toxicity, not "
        "recommended in pregnancy; Ketalar: not recommended in pregnancy. Check pregnancy "
        "status per clinic policy.",
        when=frozenset({"yes", "not_sure"}),
    ),
    _Rule(
        "breastfeeding",
        "breastfeeding",
        _W,
        "Reports breastfeeding. Spravato label: do not breastfeed.",
    ),
    _Rule(
        "liver_disease",
        "liver_disease",
        _W,
        "Reports serious liver disease. Ketalar warns of drug-induced liver injury with "
        "repeated or prolonged use; Spravato is not recommended in severe hepatic impairment.",
    ),
    _Rule(
        "bladder_symptoms",
        "bladder_symptoms",
        _W,
        "Reports ongoing bladder or urinary symptoms. Ketamine can cause cystitis and lower "
        "urinary tract symptoms with frequent use (Ketalar label); ask about past "
        "recreational use.",
    ),
    _Rule(
        "respiratory_disease",
        "breathing_condition",
        _W,
        "Reports a long-term lung or breathing condition or sleep apnea: risk of sedation and "
        "slowed breathing, more so with other sedating medicines.",
    ),
    _Rule(
        "hyperthyroidism_untreated",
        "overactive_thyroid_untreated",
        _W,
        "Reports an untreated overactive thyroid. Ketamine's sympathomimetic effect makes it a "
        "relative contraindication in anesthesia references and the Swiss label.",
    ),
    _Rule(
        "porphyria",
        "porphyria",
        _W,
        "Reports porphyria, a relative contraindication in anesthesia references and the "
        "Swiss label.",
    ),
    _Rule(
        "no_ride_home",
        "ride_home",
        _W,
        "Says no one can take them home. No driving until the next day after restful sleep "
        "(Spravato); a ride home must be arranged.",
        when=frozenset({False}),
    ),
    _Rule(
        "fasting_difficulty",
        "fasting_difficult",
        _W,
        "Says fasting before treatment would be hard. Aspiration risk if fasting instructions "
        "are not followed (Ketalar label); ask why.",
    ),
)


# --- The one urgency order ---------------------------------------------------------------

# Stored beside every computed urgency (``Screening.urgency_scale``): the numbers changed
# meaning once (scale 1 put PHQ-9 item 9 = 1 above C-SSRS question 2 and alerted neither
# question 1 nor 2), and a stored number is only readable with its scale.
URGENCY_SCALE = "urgency-2"


class Urgency(enum.IntEnum):
    """Triage order used everywhere (queue, filters, export, alerts, escalation): 1 first.

    1  C-SSRS high: question 4 or 5 yes, or behaviour within the past 3 months, or behaviour
       whose recency was not answered (unknown counts as recent).
    2  PHQ-9 item 9 answered 2 or 3; C-SSRS moderate (question 3 yes, or behaviour more than
       3 months ago).
    3  C-SSRS question 2 yes (active thoughts, no method); crisis wording in any free text.
    4  C-SSRS question 1 yes only (wish to be dead); PHQ-9 item 9 answered 1.
    5  A label contraindication.  6  Cautions and medication flags.  7  Everything else.

    Levels 1-4 are a sign of risk (``is_risk``): the immediate staff alert, escalation, the
    alert for a form left after a risk answer.  Levels 1-2 are priority (``is_priority``).
    """

    CSSRS_HIGH = 1
    HIGH_RISK = 2
    ACTIVE_THOUGHTS = 3
    PASSIVE_THOUGHTS = 4
    LABEL_CONTRAINDICATION = 5
    CAUTION = 6
    ROUTINE = 7

    @property
    def label(self) -> str:
        return URGENCY_LABELS[self]

    @property
    def band(self) -> str:
        return URGENCY_BANDS[self]


# The one label table: admin (list, filter, summary), export and alerts.  For the roles that
# may open a screening's contents.  Item 9 is a depression item, not a suicide-risk
# assessment (clinical-reference 2.3): its labels say what was answered, nothing more.
URGENCY_LABELS: Mapping[Urgency, str] = MappingProxyType(
    {
        Urgency.CSSRS_HIGH: "1 · C-SSRS high: question 4 or 5 yes, or behaviour in the past "
        "3 months (or when not answered)",
        Urgency.HIGH_RISK: "2 · PHQ-9 item 9 more than half the days or nearly every day; "
        "C-SSRS moderate",
        Urgency.ACTIVE_THOUGHTS: "3 · C-SSRS question 2 yes (active thoughts); crisis wording",
        Urgency.PASSIVE_THOUGHTS: "4 · C-SSRS question 1 yes only (wish to be dead); PHQ-9 "
        "item 9 several days",
        Urgency.LABEL_CONTRAINDICATION: "5 · Label contraindication to review",
        Urgency.CAUTION: "6 · Cautions or medicines to review",
        Urgency.ROUTINE: "7 · Routine",
    }
)

# What the front desk sees instead: a neutral band, nothing clinical.
URGENCY_BANDS: Mapping[Urgency, str] = MappingProxyType(
    {
        Urgency.CSSRS_HIGH: "Priority",
        Urgency.HIGH_RISK: "Priority",
        Urgency.ACTIVE_THOUGHTS: "Urgent",
        Urgency.PASSIVE_THOUGHTS: "Urgent",
        Urgency.LABEL_CONTRAINDICATION: "Soon",
        Urgency.CAUTION: "Soon",
        Urgency.ROUTINE: "Routine",
    }
)
BANDS: tuple[str, ...] = ("Priority", "Urgent", "Soon", "Routine")


@dataclass(frozen=True)
class Reason:
    code: str
    level: Urgency | None  # None: shown to clinicians, not a level of its own
    text: str  # plain words for a clinician


# What can fire, with its level and plain words.  Codes are stored (``urgency_reasons``).
REASONS: Mapping[str, Reason] = MappingProxyType(
    {
        r.code: r
        for r in (
            Reason(
                "cssrs_q4",
                Urgency.CSSRS_HIGH,
                "C-SSRS Q4: suicidal thoughts with some intention of acting on them, past month",
            ),
            Reason(
                "cssrs_q5",
                Urgency.CSSRS_HIGH,
                "C-SSRS Q5: worked out details of a plan and intends to carry it out, past month",
            ),
            Reason(
                "cssrs_behaviour_recent",
                Urgency.CSSRS_HIGH,
                "C-SSRS Q6: suicidal behaviour within the past 3 months",
            ),
            Reason(
                "cssrs_behaviour_recency_unknown",
                Urgency.CSSRS_HIGH,
                "C-SSRS Q6: suicidal behaviour; whether within the past 3 months was not "
                "answered (counted as recent)",
            ),
            Reason(
                "phq9_item9_3",
                Urgency.HIGH_RISK,
                "PHQ-9 item 9 (thoughts of being better off dead or of self-harm): nearly "
                "every day",
            ),
            Reason(
                "phq9_item9_2",
                Urgency.HIGH_RISK,
                "PHQ-9 item 9 (thoughts of being better off dead or of self-harm): more than "
                "half the days",
            ),
            Reason(
                "cssrs_q3",
                Urgency.HIGH_RISK,
                "C-SSRS Q3: thinking about how they might do it, past month",
            ),
            Reason(
                "cssrs_behaviour_past",
                Urgency.HIGH_RISK,
                "C-SSRS Q6: suicidal behaviour, more than 3 months ago",
            ),
            Reason(
                "cssrs_q2",
                Urgency.ACTIVE_THOUGHTS,
                "C-SSRS Q2: active suicidal thoughts, past month",
            ),
            Reason(
                "crisis_wording",
                Urgency.ACTIVE_THOUGHTS,
                "Crisis wording typed in a free-text answer",
            ),
            Reason(
                "cssrs_q1",
                Urgency.PASSIVE_THOUGHTS,
                "C-SSRS Q1: wish to be dead, past month",
            ),
            Reason(
                "phq9_item9_1",
                Urgency.PASSIVE_THOUGHTS,
                "PHQ-9 item 9 (thoughts of being better off dead or of self-harm): several days",
            ),
            Reason(
                "label_contraindication",
                Urgency.LABEL_CONTRAINDICATION,
                "A label contraindication to review (see the flags)",
            ),
            Reason(
                "caution",
                Urgency.CAUTION,
                "Cautions or medicines to review (see the flags)",
            ),
            Reason(
                "risk_answer_changed",
                None,  # the earlier answer's level counts until acknowledged
                "A risk answer given while filling in was changed before sending",
            ),
        )
    }
)


# The C-SSRS questions whose answers set the urgency (``flagging.triage`` refuses others).
CSSRS_CODES = ("q1", "q2", "q3", "q4", "q5", "q6", "q6_recent")
