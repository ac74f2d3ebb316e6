from django.core.management.base import BaseCommand

from workshops.services import mails_send_pending, reminders_queue


class Command(BaseCommand):
    help = "Queue the reminders of tomorrow's training sessions and send unsent session e-mails."

    def handle(self, *args, **options):
        queued = reminders_queue()
        sent = mails_send_pending()
        self.stdout.write(f"{queued} reminders queued, {sent} e-mails sent")
