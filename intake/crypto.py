"""Encryption at rest for screenings: authenticated encryption (Fernet: AES-128-CBC with an
HMAC-SHA256 tag) through ``MultiFernet``, so keys can be rotated.

Keys come from ``settings.INTAKE_ENCRYPTION_KEYS`` (the environment in production), newest
first: the newest encrypts, every key decrypts.  To rotate: put a new key first, deploy,
run ``manage.py rotate_intake_keys`` (re-encrypts every row with the newest key), then
drop the old key.  A tampered or foreign ciphertext is refused (``InvalidToken``), never
returned as garbage.

``lookup_hash(email)``: a keyed HMAC of the normalised address, so a screening can be found
by email without the email being stored readable.  Its key (``INTAKE_LOOKUP_KEY``) is
separate from the encryption keys and is not rotated with them.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

__all__ = ["EncryptedJSONField", "EncryptedTextField", "InvalidToken", "lookup_hash"]


def fernet_from(keys) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("INTAKE_ENCRYPTION_KEYS is empty: screenings cannot be stored.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(
            "INTAKE_ENCRYPTION_KEYS must be Fernet keys (Fernet.generate_key())."
        ) from error


@functools.cache
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    return fernet_from(keys)


def fernet() -> MultiFernet:
    return _fernet_for(tuple(settings.INTAKE_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    return fernet().decrypt(token.encode()).decode()


def rotate(token: str) -> str:
    """The same plaintext, encrypted with the newest key."""
    return fernet().rotate(token.encode()).decode()


def lookup_hash(email: str) -> str:
    key = settings.INTAKE_LOOKUP_KEY.encode()
    normalised = email.strip().lower().encode()
    return hmac.new(key, normalised, hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """Text stored encrypted; read back as text.  Not searchable or orderable, by design."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return None
        return encrypt(str(value))

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return decrypt(value)

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            return None  # comparing ciphertexts means nothing: refuse the lookup
        return super().get_lookup(lookup_name)


class EncryptedJSONField(models.TextField):
    """Any JSON value stored encrypted; read back as the value."""

    def get_prep_value(self, value: Any):
        if value is None:
            return None
        return encrypt(json.dumps(value, separators=(",", ":"), sort_keys=True))

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return json.loads(decrypt(value))

    def to_python(self, value):
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                return value
        return value

    def value_to_string(self, obj):
        return json.dumps(self.value_from_object(obj))

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            return None
        return super().get_lookup(lookup_name)
