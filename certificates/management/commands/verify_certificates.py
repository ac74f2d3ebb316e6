from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certificates import signing
from certificates.issuance import certificate_payload
from certificates.models import Certificate


class Command(BaseCommand):
    help = (
        "Check every stored certificate's signature against the platform's public key (or "
        "--public-key), and that its PDF is in storage. Run after a restore or a key change."
    )

    def add_arguments(self, parser):
        parser.add_argument("--public-key", help="PEM file of the published public key.")

    def handle(self, *args, public_key=None, **options):
        key = (
            signing.load_public_key(Path(public_key).read_text())
            if public_key
            else signing.platform_private_key().public_key()
        )
        checked, bad_signature, missing_pdf = 0, [], []
        for certificate in Certificate.objects.order_by("pk").iterator(chunk_size=500):
            checked += 1
            if not signing.verify(certificate_payload(certificate), certificate.signature, key):
                bad_signature.append(certificate.code)
            if certificate.pdf and not certificate.pdf.storage.exists(certificate.pdf.name):
                missing_pdf.append(certificate.code)
        self.stdout.write(
            f"Checked {checked} certificate(s): {checked - len(bad_signature)} valid signature(s), "
            f"{len(bad_signature)} invalid, {len(missing_pdf)} PDF(s) missing."
        )
        if bad_signature or missing_pdf:
            for code in bad_signature:
                self.stderr.write(f"INVALID signature: {code}")
            for code in missing_pdf:
                self.stderr.write(f"PDF missing: {code}")
            raise CommandError("Some certificates failed the check.")
