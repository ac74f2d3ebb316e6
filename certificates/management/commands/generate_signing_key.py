from django.core.management.base import BaseCommand

from certificates.signing import generate_private_key_pem, load_private_key, public_key_pem


class Command(BaseCommand):
    help = (
        "Print a new Ed25519 private key for signing certificates (stdout) and its public key "
        "(stderr). Keep the private key secret: whoever has it can issue valid certificates."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--env",
            action="store_true",
            help='Print the key as one CERTIFICATE_SIGNING_KEY="..." line for an .env file.',
        )

    def handle(self, *args, **options):
        pem = generate_private_key_pem()
        if options["env"]:
            escaped = pem.strip().replace("\n", "\\n")
            self.stdout.write(f'CERTIFICATE_SIGNING_KEY="{escaped}"')
        else:
            self.stdout.write(pem, ending="")
        # The public key is not secret: publish it so certificates can be checked offline.
        self.stderr.write(public_key_pem(load_private_key(pem)), ending="")
