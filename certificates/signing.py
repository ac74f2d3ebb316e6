"""Ed25519 signatures over a certificate's canonical payload, verification codes and links.

A printed certificate carries its code and signature in a QR link, so anyone with the platform's
public key can check it offline. Nothing here touches the database.
"""

import base64
import binascii
import functools
import json
import re
import secrets
import unicodedata
from datetime import date
from urllib.parse import parse_qs, quote, unquote, urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Version 2 signs everything the PDF prints about the holder and the issuer; version 1 (the
# first certificates) signed code, holder, course, dates and issuer only, and still verifies.
# Version 3 adds the in-person training sessions a blended course included (dates and
# places, as printed; empty for an online-only course). Versions 1 and 2 still verify.
PAYLOAD_VERSION = 3
SIGNED_FIELDS = {
    1: ("code", "holder", "course", "issued", "expires", "issuer"),
    2: (
        "code",
        "holder",
        "staff_id",
        "organisation",
        "course",
        "course_en",
        "wording",
        "wording_en",
        "issued",
        "expires",
        "issuer",
        "signatories",
        "logo",
    ),
}
SIGNED_FIELDS[3] = (*SIGNED_FIELDS[2], "in_person")
_LOGO_RE = re.compile(r"sha256:[0-9a-f]{64}")
GENERATE_COMMAND = "python manage.py generate_signing_key"

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_BITS = 130  # 26 Crockford characters of 5 bits each
CODE_LENGTH = CODE_BITS // 5
CODE_GROUPS = (5, 5, 5, 5, 6)
# Crockford's decoding rules for characters people misread or mistype.
_CROCKFORD_ALIASES = str.maketrans({"I": "1", "L": "1", "O": "0"})
# Phones and word processors turn "-" into these; people paste codes with any of them.
_CODE_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")

# An Ed25519 signature is 64 bytes: 86 base64 characters once the padding is dropped.
_SIGNATURE_LENGTH = 86
_SIGNATURE_RE = re.compile(r"[A-Za-z0-9_-]+")
_ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


# --------------------------------------------------------------------------------------------
# Canonical payload, signing and verification
# --------------------------------------------------------------------------------------------


def _text(value: str) -> str:
    """The same words typed on a phone (often NFD) and on a desktop (NFC) must sign alike."""
    return unicodedata.normalize("NFC", value).strip()


def _iso_date(value: str | date, *, field: str) -> str:
    text = value.isoformat() if isinstance(value, date) else _text(value)
    try:
        if not _ISO_DATE_RE.fullmatch(text):
            raise ValueError
        date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{field} must be an ISO date (YYYY-MM-DD), not {value!r}.") from None
    return text


def _signatories(value) -> list[list[str]]:
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise ValueError("signatories must be a list of [title, name] pairs.")
    pairs = []
    for entry in value:
        if not (
            isinstance(entry, list | tuple)
            and len(entry) == 2
            and all(isinstance(part, str) for part in entry)
        ):
            raise ValueError("Each signatory must be a [title, name] pair of texts.")
        pairs.append([_text(entry[0]), _text(entry[1])])
    return pairs


def _logo(value) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not _LOGO_RE.fullmatch(value.strip().lower()):
        raise ValueError('logo must be "sha256:" and 64 hexadecimal digits, or null.')
    return value.strip().lower()


def _optional_text(value, *, field: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{field} must be text.")
    return _text(value)


def canonical_payload(
    *,
    code: str,
    holder: str,
    course: str,
    issued: str,
    expires: str | None,
    issuer: str,
    v: int = 1,
    staff_id: str = "",
    organisation: str = "",
    course_en: str = "",
    wording: str = "",
    wording_en: str = "",
    signatories=(),
    logo: str | None = None,
    in_person: str = "",
) -> bytes:
    """The exact bytes that are signed: one encoding for one certificate, whoever computes it.

    Keys are in a fixed order (``SIGNED_FIELDS[v]``) and the code is in its grouped form, so a
    verifier in another language can rebuild the bytes from what is printed. Dates are
    "YYYY-MM-DD" (``date`` objects are accepted too); a blank ``expires`` means no expiry, the
    same as None. Version 2 adds the holder's staff ID and organisation, the English course
    title, the wording, the signatories as [title, name] pairs in printed order and the
    SHA-256 of the logo or seal ("sha256:<hex>", or null); version 1 ignores those. Version 3
    adds ``in_person``: the in-person sessions attended, as printed ("" when none).
    """
    if v not in SIGNED_FIELDS:
        raise ValueError(f"Unknown payload version: {v!r}.")
    canonical_code = normalise_code(code)
    if canonical_code is None:
        raise ValueError(f"Not a certificate code: {code!r}.")
    expires_text = _text(expires) if isinstance(expires, str) else expires
    values = {
        "code": canonical_code,
        "holder": _optional_text(holder, field="holder"),
        "staff_id": _optional_text(staff_id, field="staff_id"),
        "organisation": _optional_text(organisation, field="organisation"),
        "course": _optional_text(course, field="course"),
        "course_en": _optional_text(course_en, field="course_en"),
        "wording": _optional_text(wording, field="wording"),
        "wording_en": _optional_text(wording_en, field="wording_en"),
        "issued": _iso_date(issued, field="issued"),
        "expires": _iso_date(expires_text, field="expires") if expires_text else None,
        "issuer": _optional_text(issuer, field="issuer"),
        "signatories": _signatories(signatories),
        "logo": _logo(logo),
        "in_person": _optional_text(in_person, field="in_person"),
    }
    document = {"v": v, **{key: values[key] for key in SIGNED_FIELDS[v]}}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sign(payload: bytes, private_key: Ed25519PrivateKey) -> str:
    """URL-safe base64 without padding, so the signature fits in a link as it is."""
    return base64.urlsafe_b64encode(private_key.sign(payload)).rstrip(b"=").decode("ascii")


def _signature_bytes(signature: str) -> bytes | None:
    if not isinstance(signature, str) or len(signature) != _SIGNATURE_LENGTH:
        return None
    if not _SIGNATURE_RE.fullmatch(signature):
        return None
    try:
        raw = base64.urlsafe_b64decode(signature + "==")
    except (binascii.Error, ValueError):
        return None
    # Several strings decode to the same bytes (the last character's spare bits); accept only
    # the one sign() produces, so a certificate has exactly one valid signature text.
    if base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii") != signature:
        return None
    return raw


def verify(payload: bytes, signature: str, public_key: Ed25519PublicKey) -> bool:
    """True only for a genuine signature; anything a visitor can type gives False, not an error."""
    raw = _signature_bytes(signature)
    if raw is None:
        return False
    try:
        public_key.verify(raw, payload)
    except InvalidSignature:
        return False
    return True


# --------------------------------------------------------------------------------------------
# Keys
# --------------------------------------------------------------------------------------------


def _pem_text(value: str) -> str:
    """Accept the one-line form that ``generate_signing_key --env`` prints for .env files."""
    text = value.strip().strip('"').strip("'").strip()
    if "\\n" in text and "\n" not in text:
        text = text.replace("\\n", "\n")
    return text + "\n"


def load_private_key(value: str) -> Ed25519PrivateKey:
    """An unencrypted PKCS8 PEM; a key of another type is refused rather than misused."""
    try:
        key = serialization.load_pem_private_key(_pem_text(value).encode("ascii"), password=None)
    except (TypeError, ValueError, UnicodeEncodeError) as exc:
        raise ValueError(f"Not an unencrypted PEM private key: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("The certificate signing key must be an Ed25519 key.")
    return key


def public_key_pem(private_key: Ed25519PrivateKey) -> str:
    return (
        private_key.public_key()
        .public_bytes(
            encoding=serialization.Encoding.PEM,
            format=serialization.PublicFormat.SubjectPublicKeyInfo,
        )
        .decode("ascii")
    )


def load_public_key(pem: str) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(_pem_text(pem).encode("ascii"))
    except (ValueError, UnicodeEncodeError) as exc:
        raise ValueError(f"Not a PEM public key: {exc}") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("The certificate verification key must be an Ed25519 key.")
    return key


def generate_private_key_pem() -> str:
    return (
        Ed25519PrivateKey.generate()
        .private_bytes(
            encoding=serialization.Encoding.PEM,
            format=serialization.PrivateFormat.PKCS8,
            encryption_algorithm=serialization.NoEncryption(),
        )
        .decode("ascii")
    )


@functools.lru_cache(maxsize=4)
def _cached_private_key(pem: str) -> Ed25519PrivateKey:
    return load_private_key(pem)


def platform_private_key() -> Ed25519PrivateKey:
    """The key from settings, parsed once per process (and again only if the setting changes)."""
    pem = getattr(settings, "CERTIFICATE_SIGNING_KEY", "") or ""
    if not pem.strip():
        raise ImproperlyConfigured(
            "CERTIFICATE_SIGNING_KEY is not set, so certificates cannot be signed. "
            f"Run `{GENERATE_COMMAND} --env` and put its output in the environment."
        )
    try:
        return _cached_private_key(pem)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"CERTIFICATE_SIGNING_KEY is not a usable key ({exc}). "
            f"Run `{GENERATE_COMMAND}` to make a new one."
        ) from exc


# --------------------------------------------------------------------------------------------
# Offline verification links
# --------------------------------------------------------------------------------------------


def offline_link(*, base_url: str, code: str, signature: str) -> str:
    """The link in the QR code: the code and signature are enough to check the certificate."""
    return f"{base_url.rstrip('/')}/verify/{quote(code, safe='-')}/?s={quote(signature, safe='')}"


def parse_offline_link(url: str) -> tuple[str, str]:
    """(code, signature) from a scanned or typed link; ValueError if it is not one of ours."""
    parts = urlsplit(url.strip())
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if len(segments) < 2 or segments[-2] != "verify":
        raise ValueError("Not a certificate verification link.")
    code = normalise_code(segments[-1])
    if code is None:
        raise ValueError("The link does not contain a valid certificate code.")
    signatures = parse_qs(parts.query).get("s", [])
    if len(signatures) != 1 or not _SIGNATURE_RE.fullmatch(signatures[0]):
        raise ValueError("The link does not contain a signature.")
    return code, signatures[0]


# --------------------------------------------------------------------------------------------
# Certificate codes
# --------------------------------------------------------------------------------------------


def _grouped(code: str) -> str:
    groups, start = [], 0
    for size in CODE_GROUPS:
        groups.append(code[start : start + size])
        start += size
    return "-".join(groups)


def new_code() -> str:
    """130 random bits: unguessable, so a code alone reveals nothing to someone trying codes."""
    number = secrets.randbits(CODE_BITS)
    chars = [CROCKFORD[(number >> (5 * i)) & 31] for i in reversed(range(CODE_LENGTH))]
    return _grouped("".join(chars))


def normalise_code(text: str) -> str | None:
    """The canonical grouped code for what someone typed, or None if it cannot be one."""
    if not isinstance(text, str):
        return None
    compact = _CODE_SEPARATORS.sub("", unicodedata.normalize("NFKC", text)).upper()
    compact = compact.translate(_CROCKFORD_ALIASES)
    if len(compact) != CODE_LENGTH or any(c not in CROCKFORD for c in compact):
        return None
    return _grouped(compact)
