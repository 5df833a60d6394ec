"""The core's tasks: sending an outbox message, and re-queuing those left pending."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from pilot.mail import MailNotSent, deliver, stale_pending
from pilot.models import OutboxMessage


@shared_task(
    bind=True,
    name="pilot.send_outbox_message",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=None,  # bounded below by MAIL_MAX_RETRIES, read at run time
)
def send_outbox_message(self, pk: int) -> bool:  # noqa: ANN001 (Celery's bound task)
    try:
        return deliver(pk)
    except MailNotSent as error:
        if self.request.retries >= settings.MAIL_MAX_RETRIES:
            return False  # still pending: resend_pending_mail tries again later
        countdown = settings.MAIL_RETRY_DELAY * (2**self.request.retries)
        raise self.retry(exc=error, countdown=countdown) from error


@shared_task(name="pilot.resend_pending_mail")
def resend_pending_mail() -> int:
    """Queue again what no task is known to be sending; the send itself stays once-only."""
    pks = stale_pending()
    # Touch them so the next run (a minute later) does not queue them again at once.
    OutboxMessage.objects.filter(pk__in=pks).update(updated_at=timezone.now())
    for pk in pks:
        send_outbox_message.delay(pk)
    return len(pks)


@shared_task(name="pilot.run_job", acks_late=True, reject_on_worker_lost=True)
def run_job_task(pk: int) -> None:
    from pilot.jobs import run_job

    run_job(pk)
