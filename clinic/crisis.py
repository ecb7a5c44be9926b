"""Crisis resources, the one list every page, search result, booking and intake form shows.

Source: clinical-reference.md §7.3 (current U.S. resources).  988 is the primary listing;
the old 1-800 number is deliberately absent, and so is the "press 3" option, which was
discontinued on 17 July 2025.  Every number and link is written once, here; the full block
(``templates/includes/crisis.html``), the compact footer block
(``templates/includes/crisis_compact.html``), the crisis page and the intake panel
(``templates/intake/_notice.html``) are all built from it.

``is_crisis_text`` spots crisis wording in free text (a search query, a booking message,
an intake answer).  It is a supplement that shows help and raises a flag for a human; it
is never the primary detector (the screening instruments are).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Action:
    label: str
    href: str
    lang: str = ""  # set when the label is in another language than its block


@dataclass(frozen=True)
class Resource:
    name: str
    how: str
    actions: tuple[Action, ...] = ()
    lang: str = ""  # set when one resource is in another language than its block


@dataclass(frozen=True)
class CrisisBlock:
    lang: str
    heading: str
    intro: str
    resources: tuple[Resource, ...]
    not_monitored: str


# --- Every number, address and link, once ------------------------------------------------

# One sms: form for a prefilled body (RFC 5724), used by every panel, block and footer.
# Platforms differ (clinical-reference 7.4 C: test on iOS and Android).
HOME_TO_741741 = "sms:741741?body=HOME"

CALL_988 = Action("Call 988", "tel:988")
TEXT_988 = Action("Text 988", "sms:988")
CHAT_988 = Action("Chat at 988lifeline.org", "https://988lifeline.org/chat/")
TEXT_HOME = Action("Text HOME to 741741", HOME_TO_741741)
CALL_911 = Action("Call 911", "tel:911")
VETERANS_CALL = Action("Call 988, then press 1", "tel:988")
VETERANS_TEXT = Action("Text 838255", "sms:838255")
SPANISH_CALL = Action("Llame al 988 y oprima 2", "tel:988", lang="es")
ASL_NOW = Action("ASL Now at 988lifeline.org", "https://988lifeline.org/")

# The in-page panel after a risk answer (clinical-reference 7.4 C): these five as large tap
# targets, then the Veterans, Spanish and ASL options.
PANEL_ACTIONS: tuple[Action, ...] = (CALL_988, TEXT_988, CHAT_988, TEXT_HOME, CALL_911)
PANEL_MORE: tuple[tuple[str, Action], ...] = (
    ("Veterans and service members", VETERANS_CALL),
    ("En español", SPANISH_CALL),
    ("Deaf or hard of hearing", ASL_NOW),
)

NOT_MONITORED = "Our website, forms and email are not monitored in real time."
NOT_MONITORED_ES = (
    "Nuestro sitio web, formularios y correo electrónico no se supervisan en tiempo real."
)

# Spanish text and chat with the 988 Lifeline: the reference (7.3) lists "text AYUDA to 988"
# and a Spanish chat linked from 988lifeline.org/es, but the current option could not be
# confirmed offline.  Until the medical director signs it off, the Spanish blocks list calls
# only ("Llame al 988 y oprima 2": texting cannot "press 2").  The admin's sign-off banner
# lists this (``AWAITING_SIGNOFF``).
AWAITING_SIGNOFF: tuple[str, ...] = (
    "the Spanish text and chat option of the 988 Lifeline (listed as calls only until confirmed)",
)

ENGLISH = CrisisBlock(
    lang="en",
    heading="If you are in crisis, help is available now",
    intro=(
        "If you are thinking about suicide or are in crisis, you are not alone. "
        "Free, confidential support is available 24 hours a day, 7 days a week."
    ),
    resources=(
        Resource(
            "988 Suicide & Crisis Lifeline",
            "Call or text 988, or chat online.",
            (CALL_988, TEXT_988, CHAT_988),
        ),
        Resource(
            "Veterans and service members",
            "Dial 988 then press 1, or text 838255.",
            (VETERANS_CALL, VETERANS_TEXT),
        ),
        Resource("En español", "Llame al 988 y oprima 2.", (SPANISH_CALL,), lang="es"),
        Resource(
            "Deaf or hard of hearing",
            "Use ASL Now at 988lifeline.org, or call 988 by videophone.",
            (ASL_NOW,),
        ),
        Resource("Crisis Text Line", "Text HOME to 741741.", (TEXT_HOME,)),
        Resource(
            "In immediate danger",
            "Call 911 or go to the nearest emergency room.",
            (CALL_911,),
        ),
    ),
    not_monitored=NOT_MONITORED,
)

SPANISH = CrisisBlock(
    lang="es",
    heading="Si está en crisis, hay ayuda ahora mismo",
    intro=(
        "Si está pensando en el suicidio o está en crisis, no está solo. "
        "Hay apoyo gratuito y confidencial las 24 horas, los 7 días de la semana."
    ),
    resources=(
        Resource(
            "988 Línea de Prevención del Suicidio y Crisis",
            "Llame al 988 y oprima 2 para español.",
            (Action("Llamar al 988", CALL_988.href),),
        ),
        Resource(
            "Veteranos y miembros del servicio",
            "Marque 988 y oprima 1, o envíe un texto al 838255.",
            (
                Action("Llamar al 988 y oprimir 1", VETERANS_CALL.href),
                Action("Texto al 838255", VETERANS_TEXT.href),
            ),
        ),
        Resource(
            "Personas sordas o con dificultades auditivas",
            "Use ASL Now en 988lifeline.org, o llame al 988 por videoteléfono.",
            (Action("ASL Now en 988lifeline.org", ASL_NOW.href),),
        ),
        Resource(
            "Crisis Text Line",
            "Envíe HOME al 741741.",
            (Action("Texto HOME al 741741", HOME_TO_741741),),
        ),
        Resource(
            "En peligro inmediato",
            "Llame al 911 o vaya a la sala de emergencias más cercana.",
            (Action("Llamar al 911", CALL_911.href),),
        ),
    ),
    not_monitored=NOT_MONITORED_ES,
)

BLOCKS = (ENGLISH, SPANISH)


@dataclass(frozen=True)
class Links:
    """What templates reach as ``crisis_links`` (context processor): the panel, the compact
    footer block and every inline "call or text 988" read their numbers from here."""

    call_988: Action = CALL_988
    text_988: Action = TEXT_988
    chat_988: Action = CHAT_988
    text_home: Action = TEXT_HOME
    call_911: Action = CALL_911
    veterans: Action = VETERANS_CALL
    spanish: Action = SPANISH_CALL
    asl: Action = ASL_NOW
    panel: tuple[Action, ...] = PANEL_ACTIONS
    panel_more: tuple[tuple[str, Action], ...] = PANEL_MORE
    not_monitored: str = NOT_MONITORED
    not_monitored_es: str = NOT_MONITORED_ES


LINKS = Links()


# --- Crisis wording in free text -------------------------------------------------------

_PHRASES = [
    # English
    r"suicid\w*",
    r"(?:sucid|suicd|suisid)\w*",  # common misspellings: sucide, suicde, suiside
    r"kill(?:ing)? my ?self",
    r"end(?:ing)? (?:my|it) (?:life|all)",
    r"take my (?:own )?life",
    r"(?:want|wanna|going|need) to die",
    r"wish (?:i|i'm|im) (?:was |were )?(?:dead|never born)",
    r"better off dead",
    r"no reason to (?:live|go on)",
    r"(?:don't|dont|do not) want to (?:live|be alive|be here|wake up)",
    r"(?:hurt|hurting|harm|harming|cut|cutting) my ?self",
    r"self ?harm\w*",
    r"overdos\w*",
    r"(?:hang|hanging|shoot|shooting) my ?self",
    # Spanish (accents are removed before matching)
    r"matarme",
    r"quitarme la vida",
    r"quiero morir\w*",
    r"no quiero vivir",
    r"hacerme dano",
    r"lastimarme",
    r"autolesion\w*",
]
_CRISIS = re.compile(r"\b(?:" + "|".join(_PHRASES) + r")\b")


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"[^a-z0-9']+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def is_crisis_text(text: str | None) -> bool:
    """True when ``text`` contains wording that suggests the writer may be in crisis."""
    return bool(_CRISIS.search(_normalise(text or "")))
