import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certificates import signing

FIELD_HELP = {
    "code": "certificate code",
    "holder": "holder's name",
    "staff_id": "staff ID",
    "organisation": "organisation",
    "course": "course or learning path",
    "course_en": "English course title",
    "wording": "wording",
    "wording_en": "English wording",
    "issued": "date of issue (YYYY-MM-DD)",
    "expires": "valid until (YYYY-MM-DD or null)",
    "issuer": "issuing organisation",
    "signatories": "signatories ([[title, name], ...] in printed order)",
    "logo": 'logo or seal ("sha256:<hex>" as printed, or null)',
}


class Command(BaseCommand):
    help = (
        "Check a printed certificate offline. PAYLOAD is JSON (or a path to a JSON file) with "
        '"v" (the version printed beside the digital signature; 1 if absent), the printed '
        'fields and "signature" (the `s` parameter of the certificate\'s QR link). Version 2: '
        + ", ".join(f"{k} ({v})" for k, v in FIELD_HELP.items())
        + ". Version 1: code, holder, course, issued, expires, issuer. The answer names the "
        "fields the signature covers and any given field it does not check."
    )

    def add_arguments(self, parser):
        parser.add_argument("payload")
        parser.add_argument(
            "--public-key",
            help="PEM file of the published public key (default: this platform's own key).",
        )

    def handle(self, *args, payload, public_key=None, **options):
        stripped = payload.strip()
        try:
            text = stripped if stripped.startswith("{") else Path(payload).read_text()
            data = json.loads(text)
            if not isinstance(data, dict):
                raise ValueError("the payload must be a JSON object")
            version = data.get("v", 1)
            if version not in signing.SIGNED_FIELDS:
                raise ValueError(f"unknown version {version!r}")
            fields = signing.SIGNED_FIELDS[version]
            missing = [f for f in fields if f not in data and f != "expires"]
            if missing or "signature" not in data:
                raise KeyError(", ".join([*missing, *(["signature"] * ("signature" not in data))]))
            message = signing.canonical_payload(v=version, **{f: data.get(f) for f in fields})
            signature = data["signature"]
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise CommandError(f"Unreadable payload: {error}") from error
        key = (
            signing.load_public_key(Path(public_key).read_text())
            if public_key
            else signing.platform_private_key().public_key()
        )
        unchecked = sorted(set(data) - set(fields) - {"v", "signature"})
        if not signing.verify(message, signature, key):
            raise CommandError(
                f"INVALID: the signature does not match these details (payload v{version})."
            )
        self.stdout.write(
            self.style.SUCCESS(f"VALID: the signature matches these details (payload v{version}).")
        )
        self.stdout.write("Checked: " + ", ".join(fields))
        if unchecked:
            self.stdout.write(
                self.style.WARNING(
                    "NOT checked by this signature (compare them by other means): "
                    + ", ".join(unchecked)
                )
            )
