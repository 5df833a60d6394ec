"""Beat runs the reminders daily at REMINDER_TIME, local time (checked on the schedule's
configuration, without waiting a day); each run is recorded and shown to coordinators."""

import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import TestCase
from django.urls import reverse

from observations.models import ReminderRun, ReminderSent
from pilot.celery import app as celery_app
from pilot.models import OutboxMessage

from .factories import PairingFactory

ROOT = Path(__file__).resolve().parent.parent
CHICAGO = ZoneInfo("America/Chicago")


def next_run(schedule, last: datetime) -> datetime:  # noqa: ANN001 (a Celery crontab)
    start, delta, _ = schedule.remaining_delta(last)
    return start + delta


def test_beat_queues_the_reminders_task_daily_at_reminder_time_local() -> None:
    celery_app.loader.import_default_modules()  # what a worker does: finds each tasks.py
    entry = celery_app.conf.beat_schedule["observation-reminders"]
    assert entry["task"] in celery_app.tasks
    schedule = entry["schedule"]
    assert settings.REMINDER_TIME == "07:00" and celery_app.conf.timezone == "America/Chicago"
    assert next_run(schedule, datetime(2027, 6, 10, 7, 0, tzinfo=CHICAGO)) == datetime(
        2027, 6, 11, 7, 0, tzinfo=CHICAGO
    )
    assert next_run(schedule, datetime(2027, 6, 10, 6, 0, tzinfo=CHICAGO)) == datetime(
        2027, 6, 10, 7, 0, tzinfo=CHICAGO
    )
    # Across the change to daylight time it stays 07:00 on the wall clock.
    after = next_run(schedule, datetime(2027, 3, 13, 7, 0, tzinfo=CHICAGO))
    assert after.astimezone(CHICAGO).replace(tzinfo=None) == datetime(2027, 3, 14, 7, 0)
    assert celery_app.conf.beat_schedule["resend-pending-mail"]["task"] in celery_app.tasks


def beat_config(reminder_time: str) -> subprocess.CompletedProcess:
    code = (
        "import django; django.setup(); from pilot.celery import app; "
        "s = app.conf.beat_schedule['observation-reminders']['schedule']; "
        "print(sorted(s.hour), sorted(s.minute))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "pilot.settings_test"}
    env["REMINDER_TIME"] = reminder_time
    return subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )


def test_reminder_time_is_read_from_the_environment() -> None:
    assert beat_config("18:30").stdout.strip() == "[18] [30]"
    bad = beat_config("half past six")
    assert bad.returncode != 0 and "REMINDER_TIME must be HH:MM" in bad.stderr


@pytest.mark.django_db
def test_a_scheduled_run_is_recorded_and_shown(world, login) -> None:
    from observations.tasks import send_reminders_task

    # Ends in the past: its end-of-pilot form is overdue today.
    pairing = PairingFactory(
        cohort=world.cohort,
        teacher=world.teacher,
        starts_on=date(2025, 9, 1),
        ends_on=date(2026, 1, 5),
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert send_reminders_task.apply().get() == {"emails": 1, "forms": 1}
    run = ReminderRun.objects.get()
    assert run.trigger == "schedule" and run.finished_at and (run.emails, run.forms) == (1, 1)
    reminder = ReminderSent.objects.get()
    assert reminder.run == run and reminder.message.status == OutboxMessage.Status.SENT
    assert reminder.message.kind == "reminder" and reminder.message.to == reminder.sent_to

    page = login(world.users["dc_own"]).get(reverse("observations:reminders")).content.decode()
    assert "Last run:" in page and "Daily schedule" in page
    assert pairing.paraprofessional.full_name in page and reminder.sent_to in page
    other = login(world.users["dc_other"]).get(reverse("observations:reminders"))
    assert pairing.paraprofessional.full_name not in other.content.decode()
    assert other.context["runs"][0].forms_in_scope == 0
