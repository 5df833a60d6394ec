"""The one way any app sends an email: ``queue_mail`` writes it to the outbox inside the
caller's transaction and, once that commits, has it sent (by a worker when REDIS_URL is set,
else right here). A write never fails because mail failed: a refused or failed send leaves
the message pending, retried with backoff and re-queued by beat (or ``send_outbox``)."""

import logging
from datetime import datetime, timedelta
from email.utils import make_msgid
from functools import cache

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from pilot import limits
from pilot.models import OutboxMessage

log = logging.getLogger(__name__)


class MailNotSent(Exception):
    """The mail server refused the message or could not be reached; try again later."""


@cache
def message_domain() -> str:
    """The domain part of the site's Message-IDs (the host's name, as make_msgid uses)."""
    return make_msgid().rsplit("@", 1)[1].rstrip(">")


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
    """Send one pending message and mark it sent; True when this call sent it.

    The row stays locked while the mail server is talked to, so a second run of the same
    task waits and then finds it sent. Raises MailNotSent (after recording the attempt)
    when the server refuses or is down."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=pk).first()
        if message is None or message.status == OutboxMessage.Status.SENT:
            return False
        message.attempts += 1
        email = EmailMessage(
            message.subject,
            message.body,
            None,
            [message.to],
            # One Message-ID per outbox row, the same at every attempt: a receiver can tell
            # a repeat (a worker killed between the server's "accepted" and our "sent")
            # from a new mail.
            headers={"Message-ID": f"<{message.uuid.hex}@{message_domain()}>"},
        )
        try:
            email.send(fail_silently=False)
        except OSError as error:  # smtplib.SMTPException is an OSError, as are refusals
            error_text = f"{type(error).__name__}: {error}"[: limits.SYSTEM_MESSAGE]
        else:
            message.status = OutboxMessage.Status.SENT
            message.sent_at = timezone.now()
            message.last_error = ""
            message.save(
                update_fields=["status", "sent_at", "attempts", "last_error", "updated_at"]
            )
            return True
    OutboxMessage.objects.filter(pk=pk).update(
        attempts=message.attempts, last_error=error_text, updated_at=timezone.now()
    )
    raise MailNotSent(error_text)


def stale_pending(now: datetime | None = None) -> list[int]:
    """Messages still pending well after their last attempt (lost task, broker down)."""
    cutoff = (now or timezone.now()) - timedelta(seconds=settings.MAIL_RESEND_AFTER)
    return list(
        OutboxMessage.objects.filter(
            status=OutboxMessage.Status.PENDING, updated_at__lt=cutoff
        ).values_list("pk", flat=True)[:1000]
    )
