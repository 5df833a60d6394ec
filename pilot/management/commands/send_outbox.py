"""Send every outbox message not yet sent now, in this process (no worker needed): pending
ones, and any left ``sending`` by a worker that died mid-send (again, same Message-ID)."""

from django.core.management.base import BaseCommand

from pilot.mail import UNSENT, MailNotSent, deliver
from pilot.models import OutboxMessage


class Command(BaseCommand):
    help = "Send the emails still waiting in the outbox (e.g. after the mail server was down)."

    def handle(self, *args: object, **options: object) -> None:
        sent = failed = 0
        pending = OutboxMessage.objects.filter(status__in=UNSENT)
        for pk in pending.order_by("pk").values_list("pk", flat=True):
            try:
                sent += deliver(pk)
            except MailNotSent as error:
                failed += 1
                self.stderr.write(f"Not sent (still pending): message {pk}: {error}")
        self.stdout.write(f"{sent} sent, {failed} still pending.")
        if failed:
            raise SystemExit(1)
