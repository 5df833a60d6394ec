"""Observations' scheduled work: beat queues ``observations.send_reminders`` daily at
REMINDER_TIME (pilot/settings.py, CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.utils import timezone

from .models import ReminderRun
from .reminders import send_reminders


@shared_task(name="observations.send_reminders", acks_late=True)
def send_reminders_task() -> dict[str, int]:
    # Safe to run twice (a redelivered task): each due form is reminded once.
    result = send_reminders(today=timezone.localdate(), trigger=ReminderRun.Trigger.SCHEDULE)
    return {"emails": result.emails, "forms": result.forms}
