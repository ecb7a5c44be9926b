"""Crisis resources, the one list every page, search result, booking and intake form shows.

Source: clinical-reference.md §7.3 (current U.S. resources).  988 is the primary listing;
the old 1-800 number is deliberately absent, and so is the "press 3" option, which was
discontinued on 17 July 2025.  Rendered by ``templates/includes/crisis.html``.

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
            (
                Action("Call 988", "tel:988"),
                Action("Text 988", "sms:988"),
                Action("Chat at 988lifeline.org", "https://988lifeline.org/chat/"),
            ),
        ),
        Resource(
            "Veterans and service members",
            "Dial 988 then press 1, or text 838255.",
            (
                Action("Call 988, then press 1", "tel:988"),
                Action("Text 838255", "sms:838255"),
            ),
        ),
        Resource(
            "En español",
            "Llame al 988 y oprima 2.",
            (Action("Llamar al 988", "tel:988"),),
            lang="es",
        ),
        Resource(
            "Deaf or hard of hearing",
            "Use ASL Now at 988lifeline.org, or call 988 by videophone.",
            (Action("ASL Now at 988lifeline.org", "https://988lifeline.org/"),),
        ),
        Resource(
            "Crisis Text Line",
            "Text HOME to 741741.",
            (Action("Text HOME to 741741", "sms:741741?body=HOME"),),
        ),
        Resource(
            "In immediate danger",
            "Call 911 or go to the nearest emergency room.",
            (Action("Call 911", "tel:911"),),
        ),
    ),
    not_monitored="Our website and forms are not monitored around the clock.",
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
            "Llame o envíe un mensaje de texto al 988 y oprima 2 para español.",
            (
                Action("Llamar al 988", "tel:988"),
                Action("Enviar texto al 988", "sms:988"),
                Action("Chat en 988lifeline.org/es", "https://988lifeline.org/es/"),
            ),
        ),
        Resource(
            "Veteranos y miembros del servicio",
            "Marque 988 y oprima 1, o envíe un texto al 838255.",
            (
                Action("Llamar al 988 y oprimir 1", "tel:988"),
                Action("Texto al 838255", "sms:838255"),
            ),
        ),
        Resource(
            "Personas sordas o con dificultades auditivas",
            "Use ASL Now en 988lifeline.org, o llame al 988 por videoteléfono.",
            (Action("ASL Now en 988lifeline.org", "https://988lifeline.org/"),),
        ),
        Resource(
            "Crisis Text Line",
            "Envíe HOME al 741741.",
            (Action("Texto HOME al 741741", "sms:741741?body=HOME"),),
        ),
        Resource(
            "En peligro inmediato",
            "Llame al 911 o vaya a la sala de emergencias más cercana.",
            (Action("Llamar al 911", "tel:911"),),
        ),
    ),
    not_monitored="Nuestro sitio web y formularios no se supervisan las 24 horas.",
)

BLOCKS = (ENGLISH, SPANISH)


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
