from django.core.management.base import BaseCommand

from content.h5p.services import h5p_processing_cleanup


class Command(BaseCommand):
    help = (
        "Retries H5P packages left 'being checked' by a worker that died, refuses those that "
        "failed too often, and removes store folders and uploads nothing uses. Idempotent; "
        "safe to run alongside itself."
    )

    def handle(self, *args, **options):
        counts = h5p_processing_cleanup()
        self.stdout.write(" ".join(f"{key}={value}" for key, value in counts.items()))
