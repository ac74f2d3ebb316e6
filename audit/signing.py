"""The platform's Ed25519 key (the one that signs certificates), for signing chain heads."""

import base64
import binascii
import functools

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@functools.lru_cache(maxsize=2)
def _load(pem: str) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("not an Ed25519 key")
    return key


def platform_private_key() -> Ed25519PrivateKey:
    pem = getattr(settings, "CERTIFICATE_SIGNING_KEY", "") or ""
    if not pem.strip():
        raise ImproperlyConfigured("CERTIFICATE_SIGNING_KEY is not set: nothing can be signed.")
    try:
        return _load(pem)
    except ValueError as exc:
        raise ImproperlyConfigured(f"CERTIFICATE_SIGNING_KEY is not usable ({exc}).") from exc


def signature_valid(message: bytes, signature: str, public_key: Ed25519PublicKey) -> bool:
    try:
        raw = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
        public_key.verify(raw, message)
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True
