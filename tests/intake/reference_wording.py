"""Instrument wording copied by hand from ``../shared/clinical-reference.md``, reviewed once.

This is the fixture the tests hold ``intake/instruments.py`` to, word for word: a change to an
instrument's wording must be made here too, from the official form, by someone who has read it.
Sections: PHQ-9 §2.1 and §2.4, GAD-7 §3, PC-PTSD-5 §4.1, pain NRS §5.1, C-SSRS screener §7.1.
"""

FREQUENCY = [
    (0, "Not at all"),
    (1, "Several days"),
    (2, "More than half the days"),
    (3, "Nearly every day"),
]
DIFFICULTY = [
    (0, "Not difficult at all"),
    (1, "Somewhat difficult"),
    (2, "Very difficult"),
    (3, "Extremely difficult"),
]
# §2.1. §3 gives no wording for the GAD-7's difficulty question (it says to copy it from the
# official PDF), so the module uses this PHQ-9 wording for both, marked for sign-off.
DIFFICULTY_QUESTION = (
    "If you checked off any problems, how difficult have these problems made it for you to do "
    "your work, take care of things at home, or get along with other people?"
)
PFIZER = (
    "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, with "
    "an educational grant from Pfizer Inc. No permission required to reproduce, translate, "
    "display or distribute."
)
PC_PTSD_YES_NO = [(1, "YES"), (0, "NO")]
YES_NO = [(1, "Yes"), (0, "No")]

# code -> {"instructions", "instruction_examples", "attribution",
#          "items": [(code, text, options, extras)]} where extras holds heading/stem/detail and
#          column (the printed form's time-frame column header over the question).
REFERENCE = {
    "phq9": {
        "instructions": (
            "Over the last 2 weeks, how often have you been bothered by any of the following "
            "problems?"
        ),
        "instruction_examples": [],
        "attribution": PFIZER,
        "items": [
            ("q1", "Little interest or pleasure in doing things", FREQUENCY, {}),
            ("q2", "Feeling down, depressed, or hopeless", FREQUENCY, {}),
            ("q3", "Trouble falling or staying asleep, or sleeping too much", FREQUENCY, {}),
            ("q4", "Feeling tired or having little energy", FREQUENCY, {}),
            ("q5", "Poor appetite or overeating", FREQUENCY, {}),
            (
                "q6",
                "Feeling bad about yourself \u2014 or that you are a failure or have let "
                "yourself or your family down",
                FREQUENCY,
                {},
            ),
            (
                "q7",
                "Trouble concentrating on things, such as reading the newspaper or watching "
                "television",
                FREQUENCY,
                {},
            ),
            (
                "q8",
                "Moving or speaking so slowly that other people could have noticed? Or the "
                "opposite \u2014 being so fidgety or restless that you have been moving around "
                "a lot more than usual",
                FREQUENCY,
                {},
            ),
            (
                "q9",
                "Thoughts that you would be better off dead or of hurting yourself in some way",
                FREQUENCY,
                {},
            ),
            ("difficulty", DIFFICULTY_QUESTION, DIFFICULTY, {}),
        ],
    },
    "gad7": {
        "instructions": (
            "Over the last 2 weeks, how often have you been bothered by the following problems?"
        ),
        "instruction_examples": [],
        "attribution": PFIZER,
        "items": [
            ("q1", "Feeling nervous, anxious, or on edge", FREQUENCY, {}),
            ("q2", "Not being able to stop or control worrying", FREQUENCY, {}),
            ("q3", "Worrying too much about different things", FREQUENCY, {}),
            ("q4", "Trouble relaxing", FREQUENCY, {}),
            ("q5", "Being so restless that it is hard to sit still", FREQUENCY, {}),
            ("q6", "Becoming easily annoyed or irritable", FREQUENCY, {}),
            ("q7", "Feeling afraid, as if something awful might happen", FREQUENCY, {}),
            ("difficulty", DIFFICULTY_QUESTION, DIFFICULTY, {}),
        ],
    },
    "pcptsd5": {
        "instructions": (
            "Sometimes things happen to people that are unusually or especially frightening, "
            "horrible, or traumatic. For example:"
        ),
        "instruction_examples": [
            "a serious accident or fire",
            "a physical or sexual assault or abuse",
            "an earthquake or flood",
            "a war",
            "seeing someone be killed or seriously injured",
            "having a loved one die through homicide or suicide.",
        ],
        "attribution": (
            "Prins A, Bovin MJ, Kimerling R, Kaloupek DG, Marx BP, Pless Kaiser A, Schnurr PP. "
            "Primary Care PTSD Screen for DSM-5 (PC-PTSD-5) [Measurement instrument]. National "
            "Center for PTSD (ptsd.va.gov)."
        ),
        "items": [
            ("trauma", "Have you ever experienced this kind of event?", PC_PTSD_YES_NO, {}),
            (
                "q1",
                "Had nightmares about the event(s) or thought about the event(s) when you did "
                "not want to?",
                PC_PTSD_YES_NO,
                {"stem": "In the past month, have you\u2026"},
            ),
            (
                "q2",
                "Tried hard not to think about the event(s) or went out of your way to avoid "
                "situations that reminded you of the event(s)?",
                PC_PTSD_YES_NO,
                {},
            ),
            ("q3", "Been constantly on guard, watchful, or easily startled?", PC_PTSD_YES_NO, {}),
            (
                "q4",
                "Felt numb or detached from people, activities, or your surroundings?",
                PC_PTSD_YES_NO,
                {},
            ),
            (
                # The published table's "events(s)" typo is corrected, as §4.1 says.
                "q5",
                "Felt guilty or unable to stop blaming yourself or others for the event(s) or "
                "any problems the event(s) may have caused?",
                PC_PTSD_YES_NO,
                {},
            ),
        ],
    },
    "pain": {
        "instructions": "",
        "instruction_examples": [],
        "attribution": "",
        "items": [
            (
                "pain",
                "Please rate your pain on average over the past week from 0 to 10, where 0 = no "
                "pain and 10 = worst pain imaginable.",
                [(0, "0 = no pain")]
                + [(n, str(n)) for n in range(1, 10)]
                + [(10, "10 = worst pain imaginable")],
                {},
            ),
        ],
    },
    "cssrs": {
        # §7.1: "Ask questions 1 and 2 about the past month:" is the interviewer's line; the
        # self-completed form shows the Screen Version's column headers ("column") instead.
        "instructions": "",
        "instruction_examples": [],
        "attribution": "Copyright \u00a9 2008 The Research Foundation for Mental Hygiene, Inc.",
        "items": [
            (
                "q1",
                "Have you wished you were dead or wished you could go to sleep and not wake up?",
                YES_NO,
                {"heading": "Wish to be dead", "column": "Past month"},
            ),
            (
                "q2",
                "Have you actually had any thoughts of killing yourself?",
                YES_NO,
                {"heading": "Suicidal thoughts", "column": "Past month"},
            ),
            (
                "q3",
                "Have you been thinking about how you might do this?",
                YES_NO,
                {
                    "heading": (
                        "Suicidal thoughts with method (without specific plan or intent to act)"
                    ),
                    "column": "Past month",
                },
            ),
            (
                "q4",
                "Have you had these thoughts and had some intention of acting on them?",
                YES_NO,
                {"heading": "Suicidal intent (without specific plan)", "column": "Past month"},
            ),
            (
                "q5",
                "Have you started to work out or worked out the details of how to kill "
                "yourself? Do you intend to carry out this plan?",
                YES_NO,
                {"heading": "Suicide intent with specific plan", "column": "Past month"},
            ),
            (
                "q6",
                "Have you ever done anything, started to do anything, or prepared to do "
                "anything to end your life?",
                YES_NO,
                {
                    "heading": "Suicide behavior",
                    "column": "Lifetime",
                    "detail": (
                        "Examples: collected pills, obtained a gun, gave away valuables, wrote a "
                        "will or suicide note, took out pills but didn't swallow any, held a gun "
                        "but changed your mind or it was grabbed from your hand, went to the roof "
                        "but didn't jump; or actually took pills, tried to shoot yourself, cut "
                        "yourself, tried to hang yourself, etc."
                    ),
                },
            ),
            (
                "q6_recent",
                "Was this within the past 3 months?",
                YES_NO,
                {"column": "Past 3 months"},
            ),
        ],
    },
}

# §5.1 offers two time frames in one sentence; the module asks about the past week. The test
# checks the module's sentence is this one with the alternative taken out.
PAIN_REFERENCE_SENTENCE = (
    "Please rate your pain on average over the past week (or: right now) from 0 to 10, where "
    "0 = no pain and 10 = worst pain imaginable."
)
PAIN_ALTERNATIVE = " (or: right now)"
# §7.1's interviewer line, kept in the module but not shown to patients.
CSSRS_INTERVIEWER_INSTRUCTION = "Ask questions 1 and 2 about the past month:"
# §7.1's skip rule, verbatim; the module encodes it in ``asked_items``.
CSSRS_SKIP_RULE = "If YES to 2, ask questions 3, 4, 5 and 6. If NO to 2, go directly to question 6."
