import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certificates import signing


class Command(BaseCommand):
    help = (
        "Check a printed certificate offline. PAYLOAD is JSON (or a path to a JSON file) with "
        "code, holder, course, issued, expires (or null), issuer and signature — the "
        "signature is the `s` parameter of the certificate's QR link."
    )

    def add_arguments(self, parser):
        parser.add_argument("payload")
        parser.add_argument(
            "--public-key",
            help="PEM file of the published public key (default: this platform's own key).",
        )

    def handle(self, *args, payload, public_key=None, **options):
        stripped = payload.strip()
        text = stripped if stripped.startswith("{") else Path(payload).read_text()
        try:
            data = json.loads(text)
            message = signing.canonical_payload(
                code=data["code"],
                holder=data["holder"],
                course=data["course"],
                issued=data["issued"],
                expires=data.get("expires"),
                issuer=data["issuer"],
            )
            signature = data["signature"]
        except (ValueError, KeyError, TypeError) as error:
            raise CommandError(f"Unreadable payload: {error}") from error
        key = (
            signing.load_public_key(Path(public_key).read_text())
            if public_key
            else signing.platform_private_key().public_key()
        )
        if not signing.verify(message, signature, key):
            raise CommandError("INVALID: the signature does not match these details.")
        self.stdout.write(self.style.SUCCESS("VALID: the signature matches these details."))
