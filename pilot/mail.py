"""The one way any app sends an email: ``queue_mail`` writes it to the outbox inside the
caller's transaction and, once that commits, has it sent (by a worker when REDIS_URL is set,
else right here). A write never fails because mail failed: a refused or failed send leaves
the message pending, retried with backoff and re-queued by beat (or ``send_outbox``)."""

import logging
from datetime import datetime, timedelta
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from pilot import limits
from pilot.models import OutboxMessage

log = logging.getLogger(__name__)


UNSENT = [OutboxMessage.Status.PENDING, OutboxMessage.Status.SENDING]


class MailNotSent(Exception):
    """The mail server refused the message or could not be reached; try again later."""


def message_id(message: OutboxMessage) -> str:
    """The row's Message-ID, the same at every attempt and from every worker: its UUID at the
    sender's domain. A receiver can tell a repeat (see ``deliver``) from a new mail."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]
    return f"<{message.uuid.hex}@{domain or make_msgid().rsplit('@', 1)[1].rstrip('>')}>"


def queue_mail(*, to: str, subject: str, body: str, kind: str = "") -> OutboxMessage:
    """Store the message with the caller's write; queue its sending when that commits."""
    message = OutboxMessage.objects.create(to=to, subject=subject.strip(), body=body, kind=kind)
    transaction.on_commit(lambda: dispatch(message.pk))
    return message


def queue_template(*, to: str, template: str, context: dict, kind: str = "") -> OutboxMessage:
    """A message from a template whose first line is the subject, then a blank line."""
    subject, _, body = render_to_string(template, context).partition("\n")
    return queue_mail(to=to, subject=subject, body=body.lstrip("\n"), kind=kind)


def dispatch(pk: int) -> None:
    """Hand the message to the queue, or send it now without one. Never raises: the row
    stays pending and is picked up again later."""
    if settings.REDIS_URL:
        from pilot.tasks import send_outbox_message

        try:
            send_outbox_message.delay(pk)
        except Exception:  # the broker is down: beat's resend_pending_mail queues it later
            log.warning("Could not queue outbox message %s; it stays pending.", pk, exc_info=True)
        return
    try:
        deliver(pk)
    except MailNotSent:
        log.warning("Outbox message %s not sent; it stays pending.", pk, exc_info=True)


def deliver(pk: int) -> bool:
    """Send one message not yet sent and mark it sent; True when this call sent it.

    1. Claim: under the row's lock, mark it ``sending`` with the attempt's time and commit,
       so a row whose worker dies from here on is visible as in flight.
    2. Send under the row's lock again (a second run of the same task waits, then finds it
       sent), and mark it sent and commit as soon as the server has accepted the DATA,
       before QUIT and closing the connection.

    Exactly once is impossible over SMTP: a worker killed between the server's "250" to
    DATA and that commit (well under a millisecond) leaves the row ``sending``; its task
    runs again and sends it again with the same Message-ID. A rare repeat a receiver can
    collapse, rather than a rare loss. Raises MailNotSent (the row back to ``pending``,
    the error recorded) when the server refuses or is down."""
    Status = OutboxMessage.Status
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=pk).first()
        if message is None or message.status == Status.SENT:
            return False
        if message.status == Status.SENDING:
            log.warning(
                "Outbox message %s was in flight at %s when its worker stopped; sending it "
                "again with the same Message-ID.",
                pk,
                message.attempted_at,
            )
        message.status, message.attempted_at = Status.SENDING, timezone.now()
        message.attempts += 1
        message.save(update_fields=["status", "attempted_at", "attempts", "updated_at"])
    email = EmailMessage(
        message.subject,
        message.body,
        None,
        [message.to],
        headers={"Message-ID": message_id(message)},
    )
    connection = get_connection(fail_silently=False)
    try:
        with transaction.atomic():
            if (
                not OutboxMessage.objects.select_for_update()
                .filter(pk=pk, status=Status.SENDING)
                .exists()
            ):
                return False  # another run sent it while this one waited for the lock
            connection.open()
            connection.send_messages([email])  # returns once the server accepted the DATA
            now = timezone.now()
            OutboxMessage.objects.filter(pk=pk).update(
                status=Status.SENT, sent_at=now, last_error="", updated_at=now
            )
        return True  # committed: from here on a kill cannot repeat it
    except OSError as error:  # smtplib.SMTPException is an OSError, as are refusals
        error_text = f"{type(error).__name__}: {error}"[: limits.SYSTEM_MESSAGE]
    finally:
        close_quietly(connection)
    OutboxMessage.objects.filter(pk=pk, status=Status.SENDING).update(
        status=Status.PENDING, last_error=error_text, updated_at=timezone.now()
    )
    raise MailNotSent(error_text)


def close_quietly(connection: BaseEmailBackend) -> None:
    """QUIT, after the sent mark committed: a server that drops the line then changes nothing."""
    try:
        connection.close()
    except OSError:
        log.info("The mail server did not answer QUIT.", exc_info=True)


def stale_pending(now: datetime | None = None) -> list[int]:
    """Messages not sent well after their last attempt: pending (lost task, broker down) or
    still sending (in flight when a worker died, its task not run again)."""
    cutoff = (now or timezone.now()) - timedelta(seconds=settings.MAIL_RESEND_AFTER)
    return list(
        OutboxMessage.objects.filter(status__in=UNSENT, updated_at__lt=cutoff).values_list(
            "pk", flat=True
        )[:1000]
    )
