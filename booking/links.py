"""Private manage links: signed, unguessable, revocable, and dead after the consultation.

The token signs the booking's reference and a random nonce kept on the booking (changing
the nonce revokes every link sent so far).  It is checked against the consultation's end
each time, so a moved consultation's link lives until its new end.  Tokens are long
opaque strings, which the log filter replaces with ``[token]`` wherever they appear.
"""

from __future__ import annotations

from django.core import signing
from django.urls import reverse
from django.utils import timezone

from .models import Consultation

SALT = "booking.manage-link"


class LinkInvalid(Exception):
    """Altered, truncated or revoked."""


class LinkExpired(Exception):
    """Genuine, but the consultation is over."""


def manage_token(consultation: Consultation) -> str:
    return signing.dumps({"r": consultation.reference, "n": consultation.manage_nonce}, salt=SALT)


def manage_path(consultation: Consultation) -> str:
    return reverse("booking:manage", kwargs={"token": manage_token(consultation)})


def consultation_for(token: str, *, now=None) -> Consultation:
    try:
        payload = signing.loads(token, salt=SALT)
        consultation = Consultation.objects.select_related("location", "consultation_type").get(
            reference=payload["r"], manage_nonce=payload["n"]
        )
    except (signing.BadSignature, KeyError, TypeError, Consultation.DoesNotExist) as error:
        raise LinkInvalid from error
    if (now or timezone.now()) >= consultation.ends_at:
        raise LinkExpired
    return consultation
