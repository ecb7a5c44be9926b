# ruff: noqa: E501
"""Demo articles for the MindScape blog.

This is demo content written for development. It has NOT been reviewed by a clinician and
must not be published as medical advice until the clinic's medical director has reviewed it.
Every factual claim is drawn from /work/shared/clinical-reference.md (sections 1, 5, 6 and 7),
which also holds the full sources; the references below use only works listed there.

Pure data: no Django imports. ``blog.seed`` turns it into categories, articles and references.
"""

REVIEWER_NAME = "Medical reviewer (demo)"
REVIEWER_CREDENTIALS = "Placeholder until the clinic's medical director reviews this content"
AUTHOR_NAME = "MindScape editorial team (demo)"

CATEGORIES = [
    {
        "slug": "depression",
        "name": "Depression",
        "description": "Articles about depression, including treatment-resistant depression, and what research on ketamine and esketamine does and doesn't show.",
    },
    {
        "slug": "anxiety",
        "name": "Anxiety",
        "description": "Plain-language articles about anxiety, how it is screened for, and where ketamine research stands.",
    },
    {
        "slug": "ptsd",
        "name": "PTSD",
        "description": "Articles about post-traumatic stress disorder (PTSD), screening, and an honest view of the ketamine research.",
    },
    {
        "slug": "ocd",
        "name": "OCD",
        "description": "Articles about obsessive-compulsive disorder (OCD) and what is, and isn't, known about ketamine for it.",
    },
    {
        "slug": "chronic-pain",
        "name": "Chronic Pain",
        "description": "Articles about living with long-lasting pain, tracking it, and how ketamine is used in pain care.",
    },
    {
        "slug": "therapeutic-uses",
        "name": "Therapeutic Uses",
        "description": "How ketamine and esketamine are used in medicine today: approved uses, off-label use, dosing and safety.",
    },
]

# --- References (exact values from clinical-reference.md; DOIs without the https://doi.org/ prefix)

_ZARATE_2006 = {
    "citation": "Zarate CA Jr, Singh JB, Carlson PJ, et al. A randomized trial of an N-methyl-D-aspartate antagonist in treatment-resistant major depression. Arch Gen Psychiatry. 2006;63(8):856-864.",
    "doi": "10.1001/archpsyc.63.8.856",
    "url": "",
}
_BERMAN_2000 = {
    "citation": "Berman RM, Cappiello A, Anand A, Oren DA, Heninger GR, Charney DS, Krystal JH. Antidepressant effects of ketamine in depressed patients. Biol Psychiatry. 2000;47(4):351-354.",
    "doi": "10.1016/S0006-3223(99)00230-9",
    "url": "",
}
_MURROUGH_2013 = {
    "citation": "Murrough JW, et al. Antidepressant efficacy of ketamine in treatment-resistant major depression: a two-site randomized controlled trial. Am J Psychiatry. 2013;170(10):1134-1142. PMID 23982301.",
    "doi": "",
    "url": "https://pubmed.ncbi.nlm.nih.gov/23982301/",
}
_SANACORA_2017 = {
    "citation": "Sanacora G, Frye MA, McDonald W, et al; American Psychiatric Association (APA) Council of Research Task Force on Novel Biomarkers and Treatments. A consensus statement on the use of ketamine in the treatment of mood disorders. JAMA Psychiatry. 2017;74(4):399-405.",
    "doi": "10.1001/jamapsychiatry.2017.0080",
    "url": "",
}
_MCINTYRE_2021 = {
    "citation": "McIntyre RS, Rosenblat JD, Nemeroff CB, et al. Synthesizing the evidence for ketamine and esketamine in treatment-resistant depression: an international expert opinion on the available evidence and implementation. Am J Psychiatry. 2021;178(5):383-399.",
    "doi": "10.1176/appi.ajp.2020.20081251",
    "url": "",
}
_SWAINSON_2021 = {
    "citation": "Swainson J, McGirr A, Blier P, et al. The Canadian Network for Mood and Anxiety Treatments (CANMAT) task force recommendations for the use of racemic ketamine in adults with major depressive disorder. Can J Psychiatry. 2021;66(2):113-125.",
    "doi": "10.1177/0706743720970860",
    "url": "",
}
_FDA_SPRAVATO_2019 = {
    "citation": "U.S. Food and Drug Administration. News release announcing the approval of Spravato (esketamine) nasal spray for treatment-resistant depression. March 5, 2019.",
    "doi": "",
    "url": "",
}
_SPRAVATO_LABEL = {
    "citation": "Janssen Pharmaceuticals. Spravato (esketamine) nasal spray: prescribing information (indications, limitations of use, boxed warning). DailyMed / Drugs@FDA.",
    "doi": "",
    "url": "",
}
_KETALAR_LABEL = {
    "citation": "Ketalar (ketamine hydrochloride) injection: prescribing information (initial U.S. approval 1970). DailyMed / Drugs@FDA.",
    "doi": "",
    "url": "",
}
_FDA_COMPOUNDED_2023 = {
    "citation": "U.S. Food and Drug Administration. Safety communication on the risks of compounded ketamine products, including at-home use. October 10, 2023.",
    "doi": "",
    "url": "",
}
_DWORKIN_2005 = {
    "citation": "Dworkin RH, et al. Core outcome measures for chronic pain clinical trials: IMMPACT recommendations. Pain. 2005;113:9-19.",
    "doi": "",
    "url": "",
}
_FARRAR_2001 = {
    "citation": "Farrar JT, et al. Clinical importance of changes in chronic pain intensity measured on an 11-point numerical pain rating scale. Pain. 2001;94:149-158.",
    "doi": "",
    "url": "",
}
_HAWKER_2011 = {
    "citation": "Hawker GA, et al. Measures of adult pain. Arthritis Care Res. 2011;63(S11):S240-S252.",
    "doi": "10.1002/acr.20543",
    "url": "",
}
_PRINS_2016 = {
    "citation": "Prins A, Bovin MJ, Smolenski DJ, et al. The Primary Care PTSD Screen for DSM-5 (PC-PTSD-5): development and evaluation within a veteran primary care sample. J Gen Intern Med. 2016;31(10):1206-1211.",
    "doi": "10.1007/s11606-016-3703-5",
    "url": "",
}
_BOVIN_2021 = {
    "citation": "Bovin MJ, Kimerling R, Weathers FW, et al. Diagnostic accuracy and acceptability of the PC-PTSD-5 among US veterans. JAMA Netw Open. 2021;4(2):e2036733.",
    "doi": "10.1001/jamanetworkopen.2020.36733",
    "url": "",
}
_SPITZER_2006 = {
    "citation": "Spitzer RL, Kroenke K, Williams JBW, Löwe B. A brief measure for assessing generalized anxiety disorder: the GAD-7. Arch Intern Med. 2006;166(10):1092-1097.",
    "doi": "10.1001/archinte.166.10.1092",
    "url": "",
}
_ANDRASHKO_2020 = {
    "citation": "Andrashko V, et al. The antidepressant effect of ketamine is dampened by concomitant benzodiazepine medication. Front Psychiatry. 2020;11:844.",
    "doi": "10.3389/fpsyt.2020.00844",
    "url": "",
}
_WILKOWSKA_2022 = {
    "citation": "Wilkowska A, et al. Ketamine and lamotrigine combination in psychopharmacology: systematic review. Cells. 2022;11(4):645.",
    "doi": "10.3390/cells11040645",
    "url": "",
}

# The same short, calm closing section on every article.
_HELP_NOW = """
## If you need help right now

If you are thinking about suicide, or you are in crisis, please reach out now. You do not have to wait for an appointment, and you do not have to go through this alone.

- Call or text **988** to reach the 988 Suicide & Crisis Lifeline, or chat at [988lifeline.org](https://988lifeline.org). It is free, confidential and open 24 hours a day.
- Veterans and service members can dial 988 and then press 1, or text 838255.
- If you or someone else is in immediate danger, call **911** or go to the nearest emergency room.

Messages sent to our clinic are not monitored in real time, so please use these services rather than waiting to hear back from us.
"""

ARTICLES = [
    {
        "slug": "what-is-ketamine-treatment",
        "title": "What is Ketamine Treatment?",
        "summary": "A plain-language guide to ketamine: what it is, how IV infusions work, what the research shows and doesn't, and what to consider before treatment.",
        "seo_title": "What is Ketamine Treatment? A Plain-Language Guide",
        "seo_description": "What ketamine is, how IV ketamine infusions are thought to work, what the research shows, its limits, and questions to ask before treatment.",
        "categories": ["depression", "therapeutic-uses"],
        "tags": [
            "ketamine",
            "infusion therapy",
            "treatment-resistant depression",
            "off-label use",
            "research",
        ],
        "hero_alt": "Soft teal and sand-coloured waves blending into each other",
        "hero_palette": ("#0d5467", "#f3e9d2"),
        "days_ago": 96,
        "body": """
If depression or long-lasting pain hasn't eased with other treatments, you may have heard about ketamine. This guide explains what ketamine is, what the research shows, and where the evidence is still thin. Our aim is to help you ask good questions, not to promise results.

## What is ketamine?

Ketamine is a medicine that has been part of human healthcare for decades. The U.S. Food and Drug Administration (FDA) first approved it in 1970 as an anesthetic, a drug used so that surgery and other procedures can be done safely without pain.

Today it is used in operating rooms, in emergency care, for sedation during medical procedures, and for pain relief. Veterinarians use it too, but it is very much a human medicine.

Because ketamine can be misused, it is a controlled substance (Schedule III in the United States). That is one reason it should only be given with medical supervision.

## What is ketamine infusion therapy?

In ketamine infusion therapy, ketamine is given slowly through a thin tube into a vein (an IV infusion). For depression, the dose is lower than the dose used for anesthesia. Staff watch over you during the infusion.

How this fits with FDA approval:

- The form of ketamine given by IV (sold as Ketalar and as generic versions) is FDA-approved only as an anesthetic. In 2023, the FDA stated that ketamine is not FDA-approved to treat any psychiatric disorder.
- So when IV ketamine is used for depression, anxiety, PTSD or chronic pain, it is used **off-label**. Off-label prescribing is legal: a doctor may use an approved drug for another purpose when they judge it appropriate. But the FDA has not reviewed IV ketamine for these uses.
- A closely related medicine, **esketamine** (brand name Spravato), is a nasal spray that *is* FDA-approved for certain kinds of depression. More on that below.

## What does the research show?

### The first studies

The first placebo-controlled, double-blind study of ketamine for depression was published in 2000. In seven people with major depression, depression improved significantly within 72 hours of a single IV dose of ketamine, but not after a saline (salt water) placebo.

### The 2006 NIMH study

A better-known study was run at the U.S. National Institute of Mental Health and published in 2006. It included 18 adults with depression that had not improved with earlier treatments (treatment-resistant depression).

After two weeks without antidepressant medicine, each person had two test days a week apart. On one day they received IV ketamine (0.5 mg per kilogram of body weight). On the other they received a saline placebo. Neither the patients nor the raters knew which was which. This design is called a randomized, double-blind, placebo-controlled **crossover** study.

What the researchers reported:

- Depression improved significantly compared with placebo within 110 minutes of the infusion.
- Of the **17 people who received ketamine**, 71% met the study's criteria for a "response" (a large improvement) and 29% met the criteria for "remission" (symptoms low enough to count as being well) on the day after the infusion.
- 35% still met response criteria at least one week later.

The results were striking, but the study had real limits:

- It was very small.
- Each person had a single infusion and was followed for only one week.
- Participants had stopped antidepressant medicines for the study, so the results may not apply in the same way to people who take them.
- Ketamine causes noticeable effects, such as feeling detached or dreamlike, while salt water does not. Many people may have been able to tell which infusion they had, which weakens the "blind" design.

### What came after

A larger 2013 trial at two sites included 73 people with treatment-resistant depression. It compared ketamine with midazolam, an "active" placebo chosen because it also has noticeable effects. At 24 hours, 64% of people who received ketamine had a response, compared with 28% of those who received midazolam.

In 2017, a task force of the American Psychiatric Association reviewed the evidence. It found that the strongest data are for major depressive episodes **without psychotic features**. It also noted that most studies followed people for only a week after a single infusion, or for less than a month of treatment, and that published data on longer-term effectiveness and safety were extremely limited.

## How is ketamine thought to work?

Brain cells pass messages using chemical messengers. One of them is **glutamate**. Ketamine blocks one type of glutamate receptor, called the **NMDA receptor**. (Scientists call ketamine a non-competitive NMDA receptor antagonist.)

One leading explanation, still being studied, goes roughly like this:

- Blocking NMDA receptors leads to a brief surge of glutamate activity.
- This activates a different glutamate receptor, called the AMPA receptor.
- That switches on growth signals in the brain (such as BDNF and mTOR).
- These signals may help brain cells build new connections, called synapses.

You may have read that ketamine works mainly by blocking the "reuptake" of serotonin and dopamine. That is not the established explanation. At high concentrations ketamine does act on other targets, including opioid receptors and the transporters that recycle serotonin, dopamine and norepinephrine, but these effects are thought to be secondary.

The honest bottom line: the exact way ketamine eases depression is still not fully understood.

## Low-dose and high-dose use

The amount of ketamine matters a great deal.

- **For anesthesia**, ketamine is given in larger doses that allow a person to undergo surgery or a procedure.
- **In depression research**, most studies used a lower dose: 0.5 mg per kilogram of body weight, usually given over about 40 minutes. Most of the published evidence for depression is at this dose.

Even at lower doses, people can notice effects during the infusion. They may feel detached from their body or surroundings (this is called dissociation), dreamlike, or drowsy. Ketamine can also raise blood pressure and heart rate for a while, which is why staff check these before and during treatment.

## Ketamine and chronic pain

Ketamine has a long-standing place in hospital pain relief. Some clinics also offer ketamine infusions for chronic (long-lasting) pain. This use is off-label, and the evidence is different from the depression research described above, so we do not quote success rates here.

If you are considering ketamine for pain, ask what evidence applies to your condition and how you will measure whether it is helping. Our chronic pain article has more detail.

## Therapeutic uses: approved and off-label

Here is where things stand:

- **Ketamine (IV, for anesthesia):** FDA-approved since 1970.
- **Esketamine nasal spray (Spravato):** FDA-approved in 2019 for adults with treatment-resistant depression, together with an oral antidepressant. The FDA described treatment-resistant depression as depression in people who have tried at least two antidepressants, at an adequate dose and for long enough, without benefit. In 2020, approval was extended to depressive symptoms in adults with major depression who have acute suicidal thoughts or behavior (again with an oral antidepressant). Its label's limitations of use say that esketamine's “effectiveness in preventing suicide or reducing suicidal ideation or behavior has not been demonstrated”, and that its use “does not remove the need for hospitalization if clinically warranted”. In early 2025, it was also approved for use on its own for treatment-resistant depression. Spravato is only available through a restricted program in certified settings, where patients are monitored for at least two hours after each dose. It is never taken home.
- **IV ketamine for depression, anxiety, PTSD, OCD or chronic pain:** off-label. The strongest evidence is for depression.

Approvals and labels change over time. The FDA's website, fda.gov, has the current prescribing information for approved medicines.

In 2023, the FDA also warned about the risks of compounded ketamine products, including those taken at home without anyone monitoring on site.

## IV ketamine compared with other treatments

What drew researchers to ketamine was its **speed**: in the studies above, improvements were measured within hours to a day of a single infusion. There are trade-offs, too:

- In the 2006 study, only about a third of people still had a response a week later.
- Data on longer-term and repeated treatment are very limited.
- Ketamine has side effects and misuse risks that need careful monitoring.

Ketamine is not a replacement for the rest of your care.

## Will ketamine treatment work for me?

Nobody can promise that. Research reports results for groups. In the studies described here, some people improved a lot and others did not, and there is no reliable way to know in advance how you will respond.

What helps is a careful evaluation by a clinician. They will want to understand:

- your diagnosis and mental health history, and which treatments you have already tried;
- your physical health, especially blood pressure and heart health;
- any history of psychosis or substance use;
- every medicine and supplement you take.

Please **do not stop or change any medicine** to prepare for ketamine, especially a benzodiazepine, without talking to the person who prescribes it. Stopping some medicines suddenly can be dangerous.

Useful questions include: What dose will I receive? How many sessions are planned? How will we know if it is helping? What happens if it doesn't?

If you would like to talk this through, you are welcome to contact our team with your questions.
"""
        + _HELP_NOW,
        "references": [
            _BERMAN_2000,
            _ZARATE_2006,
            _MURROUGH_2013,
            _SANACORA_2017,
            _FDA_SPRAVATO_2019,
            _SPRAVATO_LABEL,
            _KETALAR_LABEL,
            _FDA_COMPOUNDED_2023,
        ],
    },
    {
        "slug": "esketamine-spravato-vs-iv-ketamine",
        "title": "Esketamine (Spravato) and IV Ketamine: What's the Difference?",
        "summary": "Esketamine nasal spray and IV ketamine are related but different medicines. Here is how their approval, use and monitoring compare.",
        "seo_title": "Esketamine (Spravato) vs IV Ketamine: The Differences",
        "seo_description": "How esketamine nasal spray (Spravato) and IV ketamine differ in FDA approval, how they are given, monitoring, and what to ask your clinician.",
        "categories": ["depression", "therapeutic-uses"],
        "tags": ["ketamine", "esketamine", "treatment-resistant depression", "off-label use"],
        "hero_alt": "Two gentle curves in dusty blue and pale sage side by side",
        "hero_palette": ("#3d6b8c", "#dfe8d8"),
        "days_ago": 81,
        "body": """
You may have seen both "esketamine" and "ketamine" in the news and wondered whether they are the same thing. They are closely related, but they are different medicines, with different approvals and different rules about how they are given.

## Two medicines from the same family

A ketamine molecule comes in two mirror-image forms, a bit like a left and a right hand. The form used in hospitals, and in IV ketamine clinics, is **racemic ketamine**, which contains both forms. **Esketamine** contains only one of them, called the S form.

Both block the NMDA receptor, a receptor for the brain chemical glutamate. For both, the exact way they ease depression is not fully understood.

## Esketamine (Spravato) at a glance

Spravato is a nasal spray made by Janssen (part of Johnson & Johnson). It is a controlled substance (Schedule III).

Its FDA approvals for adults:

- **2019:** treatment-resistant depression, together with an oral antidepressant. The FDA described treatment-resistant depression as depression in people who have tried at least two antidepressants, at an adequate dose and for long enough, without benefit.
- **2020:** depressive symptoms in adults with major depression who have acute suicidal thoughts or behavior, together with an oral antidepressant. Its label's limitations of use say that esketamine's “effectiveness in preventing suicide or reducing suicidal ideation or behavior has not been demonstrated”, and that its use “does not remove the need for hospitalization if clinically warranted”.
- **Early 2025:** treatment-resistant depression, either on its own or with an oral antidepressant.

How it is given:

- Only through a restricted safety program (called a REMS) in certified healthcare settings.
- The patient uses the spray themselves, with a healthcare provider supervising.
- The patient is monitored for at least two hours afterwards.
- It is never taken home.

The label includes a boxed warning covering sedation, dissociation (feeling detached from yourself or your surroundings), abuse and misuse, and suicidal thoughts and behaviors. Labels are updated over time, so ask your prescriber to go through the current version with you.

Esketamine is not a way to manage a crisis on your own, and it does not replace emergency care. If you are having thoughts of suicide, please use the resources at the end of this article now.

## IV ketamine at a glance

Racemic ketamine (sold as Ketalar and as generic versions) has been FDA-approved as an anesthetic since 1970. It is also a Schedule III controlled substance.

- It is **not** FDA-approved for depression or any other psychiatric condition. The FDA restated this in 2023.
- Using it for depression is **off-label**. That is legal, and doctors may prescribe an approved drug for other uses when they judge it appropriate.
- Most of the research on IV ketamine for depression used 0.5 mg per kilogram of body weight, given slowly into a vein, usually over about 40 minutes.
- It should be given in a medical setting where staff check your blood pressure and watch your breathing, heart and how you are feeling during the infusion.

## The key differences

- **FDA status:** Spravato is approved for specific kinds of depression. IV ketamine is approved only as an anesthetic and is used off-label for depression.
- **How it is given:** Spravato is a nasal spray. IV ketamine is a slow infusion into a vein.
- **Where:** Spravato is only given in certified settings under its safety program. IV ketamine is given in clinics or hospitals that can monitor you.
- **Other antidepressants:** Spravato's approvals describe when it is used with an oral antidepressant and when it may be used alone. For IV ketamine, your clinician will decide how it fits with your other medicines.
- **The evidence:** both have been studied in treatment-resistant depression, and expert groups have reviewed the evidence for each.

## What they have in common

- Both can cause dissociation, drowsiness and a temporary rise in blood pressure, so both need monitoring.
- Both can be misused, which is why both are controlled substances.
- For both, you are usually asked not to drive until the next day, after a restful night's sleep. Plan a ride home.
- For both, a clinician needs your full health history and a list of every medicine you take.

## Which one is right for me?

That is a question for a conversation with a clinician who knows your history, not for an article. It can help to ask:

- Which treatments have I already tried, and does that matter for either option?
- How would this fit with the medicines I take now?
- How often would I need treatment, and for how long?
- How will we know whether it is working?

Please don't stop or change any medicine on your own while you decide. Talk to your prescriber first.
"""
        + _HELP_NOW,
        "references": [
            _FDA_SPRAVATO_2019,
            _SPRAVATO_LABEL,
            _KETALAR_LABEL,
            _FDA_COMPOUNDED_2023,
            _SANACORA_2017,
            _MCINTYRE_2021,
        ],
    },
    {
        "slug": "reading-the-ketamine-research",
        "title": "Reading the Ketamine Research: What the Studies Show and What They Don't",
        "summary": "A calm walk through the key ketamine depression studies, what terms like 'placebo' and 'remission' mean, and what is still unknown.",
        "seo_title": "Ketamine for Depression: What the Research Shows",
        "seo_description": "A plain-language guide to the main studies of ketamine for depression, how to read their results, and the questions research has not yet answered.",
        "categories": ["depression"],
        "tags": ["ketamine", "research", "treatment-resistant depression"],
        "hero_alt": "Layered bands of soft lavender and warm grey, like distant hills",
        "hero_palette": ("#6b5b95", "#ece8e1"),
        "days_ago": 63,
        "body": """
Headlines about ketamine can sound either amazing or alarming. The research itself is more careful than either. This article walks through the main studies of ketamine for depression, explains some of the terms researchers use, and sets out what we still don't know.

## A few terms first

- **Randomized:** chance, not a doctor's choice, decides who gets which treatment. This makes the groups fairer to compare.
- **Placebo:** a dummy treatment, used so researchers can see how much change comes from the medicine itself.
- **Double-blind:** neither the patients nor the people rating their symptoms know who received what.
- **Crossover:** each person receives both treatments on different days, so they act as their own comparison.
- **Response and remission:** "response" means a large improvement in symptoms; "remission" means symptoms fell low enough to count as being well. Each study sets its own exact cut-offs.

## The first controlled study (2000)

The first placebo-controlled, double-blind study of a single dose of ketamine for depression was published in 2000. Seven people with major depression completed it. Each received IV ketamine (0.5 mg per kilogram of body weight) on one test day and a saline placebo on another.

Depression improved significantly within 72 hours after ketamine, but not after placebo. The people in this study had major depression, but the study was not specifically about depression that had resisted other treatments.

## The 2006 NIMH study

The study most often quoted about ketamine was run at the U.S. National Institute of Mental Health and published in 2006. It included 18 adults with treatment-resistant depression. After two weeks without antidepressant medicine, each person had an IV infusion of ketamine (0.5 mg/kg) on one test day and a saline placebo on another, one week apart.

The researchers reported that:

- symptoms improved significantly compared with placebo within 110 minutes;
- of the **17 people who received ketamine**, 71% met the response criteria and 29% met the remission criteria on the day after the infusion;
- 35% kept their response for at least a week.

Its limits matter just as much:

- It was very small.
- There was one infusion and only a week of follow-up.
- Participants had stopped their antidepressants for the study.
- Ketamine has noticeable effects and salt water does not, so many people may have been able to guess which infusion they had. That weakens the blinding.

## A larger trial with an "active" placebo (2013)

To deal with the blinding problem, a 2013 trial at two sites compared ketamine with midazolam, an "active" placebo: a medicine that also has noticeable effects, making the two harder to tell apart. The trial included 73 people with treatment-resistant depression.

At 24 hours, 64% of people who received ketamine had a response, compared with 28% of those who received midazolam. This larger trial, with a placebo that was harder to tell apart, supported the earlier finding of a rapid effect.

## What expert groups concluded

In 2017, a task force of the American Psychiatric Association published a consensus statement. In summary, it found that:

- several studies show rapid, strong antidepressant effects in people whose depression had not responded to other treatments;
- those studies were small, with little longer-term or safety data;
- the strongest evidence is for major depressive episodes **without psychotic features**;
- most studies followed people for only a week after one infusion, or for less than a month of treatment;
- there was not enough data to review ketamine for other conditions.

Since then, an international group of experts (2021) and a Canadian task force (2021) have published more detailed reviews and recommendations for using ketamine in treatment-resistant depression.

## What we still don't know

- **How long benefits last.** In the 2006 study, about a third of people kept their response for a week. Longer-term data remain limited.
- **Repeated treatment.** Information on series of infusions or ongoing "maintenance" treatment is very limited.
- **Who will benefit.** Studies report group results. They cannot tell any one person whether ketamine will help them.
- **Other conditions.** At the time of the 2017 review, there was not enough data to assess ketamine for conditions other than depression, such as anxiety, PTSD or OCD.

## Using this in a conversation with a clinician

Research can't make the decision for you, but it can help you ask clear questions:

- Which studies is this treatment plan based on, and were they done in people like me?
- What dose is planned, and is it the dose that was studied?
- How will we measure whether it is working, and when will we review that?
- What is the plan if the benefit fades?
"""
        + _HELP_NOW,
        "references": [
            _BERMAN_2000,
            _ZARATE_2006,
            _MURROUGH_2013,
            _SANACORA_2017,
            _MCINTYRE_2021,
            _SWAINSON_2021,
        ],
    },
    {
        "slug": "ketamine-for-chronic-pain",
        "title": "Ketamine for Chronic Pain: What We Know and What We Don't",
        "summary": "Ketamine has a long history in hospital pain relief. Here is an honest look at its off-label use for long-lasting pain, and how to track whether treatment helps.",
        "seo_title": "Ketamine for Chronic Pain: An Honest Guide",
        "seo_description": "How ketamine is used in pain care, why infusions for chronic pain are off-label, how to track your pain on a 0-10 scale, and safety points to discuss.",
        "categories": ["chronic-pain", "therapeutic-uses"],
        "tags": ["ketamine", "chronic pain", "infusion therapy", "off-label use", "safety"],
        "hero_alt": "Warm terracotta fading softly into pale cream",
        "hero_palette": ("#b4654a", "#f6efe4"),
        "days_ago": 47,
        "body": """
Living with pain that doesn't go away can wear you down in every part of life. If you have tried many treatments already, it makes sense to look at new options. This article explains how ketamine is used for pain, what is and isn't known about ketamine for chronic pain, and how to judge whether a treatment is helping you.

## Ketamine's place in pain care

Ketamine was first approved by the FDA in 1970 as an anesthetic. Since then it has been used in operating rooms, in emergency care, for sedation during procedures, and for pain relief in hospitals. So doctors have a lot of experience with ketamine in the short term, in closely watched settings.

## Chronic pain is a different question

Chronic pain is pain that lasts for months or longer. Using ketamine infusions to treat it is **off-label**: the FDA has approved ketamine as an anesthetic, not as a treatment for chronic pain. Off-label use is legal, but it means the FDA has not reviewed ketamine for this purpose.

Chronic pain has many different causes, and evidence for one condition doesn't automatically apply to another. We would rather not quote success rates here. Instead, we suggest asking your clinician:

- What evidence is there for ketamine in my specific kind of pain?
- What dose and schedule are planned, and why?
- How long would we try it before deciding whether it helps?

## How to tell whether a treatment is helping

Pain is personal, and it can change from day to day. A simple, consistent way of tracking it makes it much easier for you and your clinician to see real change.

### The 0 to 10 scale

A common way to rate pain is a 0 to 10 scale, where **0 means no pain** and **10 means the worst pain imaginable**. An international expert group (called IMMPACT) recommends this scale as a core way to measure pain intensity in chronic pain research.

Some tips for using it:

- Pick one time frame and stick to it. For example, "my average pain over the past week".
- Rate at a similar time of day each time.
- Write your scores down before your appointments rather than relying on memory.

### What counts as a meaningful change?

Research has found that a drop of about **2 points, or about 30%**, on the 0 to 10 scale matches what many patients describe as feeling "much improved". Smaller changes can still matter to you, so tell your clinician how the change feels in daily life, too.

It can also help to note what you were able to do each week, such as sleep, work, chores or time with people you love. Pain scores are only part of the picture.

## Safety points for repeated treatment

Chronic pain treatment may involve more than one infusion, so it is worth knowing about effects linked to repeated or long-term use. Your clinician can go through the current label warnings with you. They include:

- **Blood pressure and heart rate:** ketamine can raise both for a while, so they are checked before and during treatment.
- **Bladder problems:** the ketamine label warns about bladder inflammation and urinary symptoms with chronic or frequent use. Tell your clinician about any urinary symptoms.
- **Liver:** the label also warns of liver injury with recurrent or prolonged use.
- **Other sedating medicines:** the label warns that combining ketamine with opioids, benzodiazepines or other sedating medicines can cause dangerous over-sedation and slowed breathing. Bring a full list of everything you take, including pain medicines such as gabapentin or pregabalin.
- **Misuse:** ketamine is a controlled substance because it can be misused. Let your clinician know about any past or current substance use. This is about keeping you safe, not about judging you.

Please **do not stop or change any pain medicine, or any other medicine, on your own**. Talk to the person who prescribes it first. Stopping some medicines suddenly can be dangerous.

## Be cautious about at-home products

In 2023 the FDA warned about the risks of compounded ketamine products, including products used at home without anyone monitoring on site. Whatever you decide, ketamine should be given where trained staff can watch over you.

## Pain and mood

Long-lasting pain can take a heavy toll on mood and hope. If you notice you are feeling low, tell your care team. That is an important part of your health, not a distraction from it.
"""
        + _HELP_NOW,
        "references": [
            _KETALAR_LABEL,
            _DWORKIN_2005,
            _FARRAR_2001,
            _HAWKER_2011,
            _FDA_COMPOUNDED_2023,
        ],
    },
    {
        "slug": "ketamine-and-ptsd",
        "title": "Ketamine and PTSD: What the Research Says, and What It Doesn't",
        "summary": "An honest look at where ketamine stands for post-traumatic stress disorder (PTSD), what PTSD screening can and can't tell you, and where to find support.",
        "seo_title": "Ketamine and PTSD: An Honest Look at the Evidence",
        "seo_description": "Where ketamine research stands for PTSD, why its use is off-label, what a PTSD screening questionnaire can and can't tell you, and where to get support.",
        "categories": ["ptsd"],
        "tags": ["ketamine", "ptsd", "research", "off-label use", "screening"],
        "hero_alt": "A quiet horizon of deep slate blue meeting soft dawn peach",
        "hero_palette": ("#2f4858", "#f4d9c6"),
        "days_ago": 33,
        "body": """
If you live with the after-effects of trauma, you may have come across claims that ketamine can help. You deserve clear, honest information, so this article sets out what is known, what isn't, and how to look after yourself while you explore options.

## Experiences that can follow trauma

After something frightening or traumatic, many people notice changes that last. Screening questionnaires for post-traumatic stress disorder (PTSD) ask about experiences such as:

- nightmares, or thoughts about the event that come when you don't want them;
- working hard to avoid thoughts or situations that remind you of it;
- feeling constantly on guard, watchful or easily startled;
- feeling numb or detached from people, activities or your surroundings;
- feeling guilty, or unable to stop blaming yourself or others.

If some of this sounds familiar, you are not alone, and it is not a sign of weakness. Only a clinician can assess whether these experiences add up to PTSD.

## What the research says about ketamine for PTSD

Here is the honest picture:

- **No ketamine product is FDA-approved for PTSD.** In 2023, the FDA stated that ketamine is not approved to treat any psychiatric disorder. (Esketamine nasal spray, a related medicine, is approved only for certain kinds of depression.)
- **Using IV ketamine for PTSD is off-label.** That is legal, and doctors may use approved drugs for other purposes when they judge it appropriate, but the FDA has not reviewed ketamine for PTSD.
- **The strongest evidence is for depression.** In 2017, an American Psychiatric Association task force found that the best data for ketamine in psychiatry are in major depressive episodes without psychotic features. It found there was not enough data at that time to review other conditions.

We are not going to quote success rates for PTSD, because we don't think the evidence we rely on supports a confident number. The picture may change as more research is published. If a clinic offers ketamine for PTSD, it is fair to ask which studies it relies on.

## Screening is not a diagnosis

Our intake process may include a short, widely used screening questionnaire called the **PC-PTSD-5**. It asks whether you have experienced a traumatic event and, if so, five yes-or-no questions about the past month.

A few things are worth knowing:

- It is a screen, not a diagnosis. A higher score means a clinician should talk with you in more detail. A lower score does not mean your experiences don't matter.
- It was developed and tested mainly with U.S. veterans in primary care.
- Research suggests the best cut-off score may differ for women and men, which is one reason clinicians, not the form, interpret the result.

## If you are considering ketamine and live with PTSD

Some things to raise with your clinician:

- **Dissociation.** Ketamine often causes a feeling of being detached from your body or surroundings during the infusion. If feeling disconnected worries you, or reminds you of past experiences, say so beforehand. You can ask what support will be in the room.
- **Your other medicines.** Bring a full list. Some medicines, such as benzodiazepines, matter for both safety and how well ketamine may work. Please don't stop or change any medicine without talking to your prescriber.
- **Substance use.** Ketamine is a controlled substance because it can be misused. Your clinician will ask about alcohol and drug use to keep you safe, not to judge you.
- **How it fits.** Ask how ketamine would fit with the rest of your care, including any therapy or support you already have.

## Looking after yourself

Trauma can make it hard to ask for help, and reaching out can take courage. If you are a veteran or service member, the Veterans Crisis Line is available through 988 (then press 1), and you don't need to be enrolled in VA care to use it. If you prefer to text, you can also text HOME to 741741 to reach the Crisis Text Line.
"""
        + _HELP_NOW,
        "references": [
            _FDA_COMPOUNDED_2023,
            _SANACORA_2017,
            _PRINS_2016,
            _BOVIN_2021,
        ],
    },
    {
        "slug": "anxiety-ocd-and-ketamine",
        "title": "Anxiety, OCD and Ketamine: An Honest Look at the Evidence",
        "summary": "Ketamine is sometimes offered for anxiety and OCD. Here is what the evidence does and doesn't support, and what to ask before deciding.",
        "seo_title": "Ketamine for Anxiety and OCD: An Honest Look",
        "seo_description": "What the evidence does and doesn't say about ketamine for anxiety and OCD, why its use is off-label, and questions to ask a clinician before deciding.",
        "categories": ["anxiety", "ocd"],
        "tags": ["ketamine", "anxiety", "ocd", "off-label use", "screening"],
        "hero_alt": "Soft ripples of pale aqua and misty white",
        "hero_palette": ("#5f9ea0", "#eef5f3"),
        "days_ago": 19,
        "body": """
Anxiety and obsessive-compulsive disorder (OCD) can be exhausting. Worry, fear or intrusive thoughts can take up hours of a day. If treatments so far haven't helped enough, you may be wondering about ketamine. You may have read claims that ketamine helps with anxiety and OCD. We want to give you a careful, honest picture.

## What the evidence supports

- **No ketamine product is FDA-approved for anxiety or OCD.** In 2023, the FDA stated that ketamine is not approved to treat any psychiatric disorder. Esketamine nasal spray (Spravato), a related medicine, is approved only for certain kinds of depression.
- **Using IV ketamine for anxiety or OCD is off-label.** That is legal, and doctors may prescribe an approved drug for other purposes when they judge it appropriate. It does mean the FDA has not reviewed ketamine for these conditions.
- **The strongest evidence is for depression.** In 2017, an American Psychiatric Association task force found that the best data for ketamine in psychiatry are in major depressive episodes without psychotic features. It found there was not enough data at that time to review other conditions.

Because of this, we are not going to quote success rates for anxiety or OCD. That may change as more research is published, and your clinician can tell you about any newer studies that apply to you.

## Anxiety: a closer look

If you contact us, you may be asked to fill in a short questionnaire called the **GAD-7**. It asks how often, over the last two weeks, you have been bothered by things like feeling nervous or on edge, not being able to stop worrying, or having trouble relaxing.

- The GAD-7 is a screen, not a diagnosis. It helps a clinician understand how much anxiety is affecting you and track changes over time.
- It was designed for generalized anxiety disorder. Research found it is also moderately good at picking up panic disorder, social anxiety and PTSD.
- Your answers are reviewed by a clinician. The form does not decide anything about your care.

### A note about benzodiazepines

Benzodiazepines are a group of medicines sometimes prescribed for anxiety or sleep. If you take one, it matters for ketamine treatment in two ways:

- **Safety:** combining ketamine with benzodiazepines or other sedating medicines can cause heavy sedation and slowed breathing, so your care team needs to know.
- **Effect:** one study in people with depression found that higher benzodiazepine doses were linked with a weaker response to ketamine.

Please **do not stop or cut down a benzodiazepine on your own** to prepare for treatment. Stopping suddenly can cause dangerous withdrawal. Any change should be planned with the person who prescribes it.

## OCD: a closer look

OCD can involve unwanted, repeated thoughts and strong urges that are very hard to resist. It is a real and often painful condition, and it deserves care based on good evidence.

For ketamine, the honest answer is that no ketamine product is approved for OCD, and the 2017 expert review found too little data to assess ketamine for conditions other than depression. If ketamine is suggested to you for OCD, it is reasonable to ask:

- Which studies support this use, and how many people were in them?
- How long did any benefit last?
- How would ketamine fit with the treatment I already have?

## Questions worth asking before any ketamine treatment

- What is the main goal of treatment for me, and how will we measure it?
- What dose is planned, and how often?
- What side effects should I expect during and after an infusion?
- What happens if it doesn't help, or if the benefit fades?
- How does this fit with my current medicines and therapy?

Asking questions is not being difficult. A good clinician will welcome them.
"""
        + _HELP_NOW,
        "references": [
            _FDA_COMPOUNDED_2023,
            _SANACORA_2017,
            _SPITZER_2006,
            _ANDRASHKO_2020,
        ],
    },
    {
        "slug": "is-ketamine-safe-for-me",
        "title": "Is Ketamine Safe for Me? Side Effects and When Extra Care Is Needed",
        "summary": "What ketamine can feel like, its known risks, the health conditions and medicines a clinician needs to know about, and why you shouldn't change medicines on your own.",
        "seo_title": "Is Ketamine Safe for Me? Side Effects and Cautions",
        "seo_description": "Ketamine's common effects and known risks, the health conditions and medicines to discuss with a clinician, and why not to stop any medicine on your own.",
        "categories": ["therapeutic-uses"],
        "tags": ["ketamine", "safety", "infusion therapy", "esketamine"],
        "hero_alt": "Gentle overlapping circles in muted olive green and soft ivory",
        "hero_palette": ("#6b7f4e", "#f7f3e8"),
        "days_ago": 8,
        "body": """
It is wise to ask about safety before any treatment. This article explains what ketamine can feel like, its known risks, and the health conditions and medicines a clinician will want to know about. It can't tell you whether ketamine is right for you. Only a clinician who knows your full history can help you decide.

## What you may notice during and after treatment

At the doses used for depression, ketamine can cause effects that people notice:

- **Dissociation:** feeling detached from your body, your thoughts or your surroundings, or as if things are dreamlike or unreal.
- **Changes in perception:** sights, sounds or time may seem different.
- **Drowsiness or sedation.**
- **A rise in blood pressure and heart rate** for a while. This is why staff check your blood pressure before treatment and keep watching during it.

Because of these effects:

- You should not drive or operate machinery until the next day, after a restful night's sleep. Plan for someone to take you home.
- Your clinic will give you instructions about eating and drinking before treatment. Please follow them, as this lowers certain risks during sedation.

## Other serious risks

- **Over-sedation and slowed breathing,** especially when ketamine is combined with other sedating medicines or alcohol.
- **Misuse and dependence.** Ketamine is a controlled substance because it can be misused.
- **Bladder problems.** The ketamine label warns about bladder inflammation and urinary symptoms with chronic or frequent use.
- **Liver injury** with recurrent or prolonged use, according to the label.
- **Raised pressure inside the eye.**

In 2023 the FDA also warned about the risks of compounded ketamine products, including those used at home with no one monitoring on site.

## Health conditions that need a careful look

The conditions below don't automatically mean ketamine is ruled out. Not having any of them doesn't mean it is right for you, either. They are things a clinician needs to know about so they can weigh the risks with you:

- high blood pressure, especially if it is not well controlled;
- heart disease, such as a recent heart attack, chest pain, heart failure or an irregular heartbeat;
- an aneurysm, an abnormal connection between blood vessels (arteriovenous malformation), a past bleed in the brain, or a stroke;
- raised pressure inside the head, for example after a head injury;
- glaucoma or an eye injury;
- any history of psychosis, such as hearing or seeing things others don't, or schizophrenia;
- bipolar disorder, or current periods of mania or hypomania;
- past or current substance use, including any past use of ketamine or PCP;
- pregnancy, the possibility of pregnancy, or breastfeeding;
- serious liver disease;
- a past reaction to ketamine or esketamine;
- bladder or urinary problems;
- breathing problems, including sleep apnea;
- an overactive thyroid that isn't being treated.

Some of these come from the official product labels. For example, the esketamine label lists aneurysm-related blood vessel disease, arteriovenous malformation, a history of bleeding in the brain, and allergy to esketamine or ketamine as reasons not to use it. Others are cautions clinicians commonly check for.

Please answer health questions as fully as you can. There are no wrong answers, and the information helps keep you safe.

## Your medicines

Bring a complete list of everything you take, including supplements and anything you take only now and then. Some medicines matter in particular:

- **Benzodiazepines, opioids, sleep medicines, gabapentin or pregabalin, and alcohol** can add to ketamine's sedating effects. The ketamine label warns this can cause profound sedation and slowed breathing. One study also found that higher benzodiazepine doses were linked with a weaker antidepressant response.
- **MAO inhibitors (MAOIs) and stimulants**, such as medicines for ADHD or for staying awake, can raise blood pressure further.
- **Theophylline or aminophylline**, used for some breathing conditions, should not be given with ketamine.
- **Lamotrigine:** you may read that it blocks ketamine's effect. The evidence for this is weak and mixed, and it has not been established. Your clinician will still want to know if you take it.

### Please don't stop or change medicines on your own

It may be tempting to stop a medicine to "make room" for ketamine. Please **don't stop or change any medicine, especially a benzodiazepine, without talking to the person who prescribes it**. Stopping a benzodiazepine suddenly can cause dangerous withdrawal. If a change is needed, your prescriber can plan it safely with you.

## What to bring to your consultation

- A list of all your medicines and doses.
- Any recent blood pressure readings, if you have them.
- Notes about your health history and treatments you have tried.
- Your questions. Writing them down beforehand can help.
"""
        + _HELP_NOW,
        "references": [
            _SANACORA_2017,
            _FDA_COMPOUNDED_2023,
            _ANDRASHKO_2020,
            _WILKOWSKA_2022,
        ],
    },
]
