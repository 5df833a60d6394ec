"""Reminders to teachers about end-of-pilot observations due within 14 days or overdue.

Each due form is reminded once: a ``ReminderSent`` row per (pairing, kind) is written in
the same transaction as the email's outbox row, so running it daily (or twice in a day)
never repeats a reminder; a failed send is retried by the outbox, not by the next run.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.urls import reverse
from django.utils import timezone

from mentoring.models import Pairing
from pilot.mail import queue_template
from pilot.models import User

from .models import Observation, ReminderRun, ReminderSent
from .notifications import staff_email
from .schedule import REMINDER_WINDOW, DueForm, due_on

END = Observation.Kind.END


def due_end_of_pilot_forms(today: date) -> list[DueForm]:
    """Active pairings whose end-of-pilot form is not submitted and is due within 14 days
    or overdue, not yet reminded. Two queries."""
    submitted_end = Observation.objects.filter(
        pairing=OuterRef("pk"), kind=END, status=Observation.Status.SUBMITTED
    )
    reminded = ReminderSent.objects.filter(pairing=OuterRef("pk"), kind=END, sent_by__isnull=True)
    pairings = (
        Pairing.objects.filter(status=Pairing.Status.ACTIVE, ends_on__lte=today + REMINDER_WINDOW)
        .exclude(Exists(submitted_end))
        .exclude(Exists(reminded))
        .select_related("teacher__user", "paraprofessional")
        .prefetch_related(
            Prefetch("observations", queryset=Observation.objects.filter(kind=END), to_attr="end")
        )
        .order_by("teacher_id", "ends_on", "id")
    )
    return [
        DueForm(pairing, END, due_on(pairing, END), pairing.end[0] if pairing.end else None)
        for pairing in pairings
    ]


def queue_reminder(
    *,
    to: str,
    forms: list[DueForm],
    today: date,
    run: ReminderRun | None = None,
    sent_by: User | None = None,
) -> list[ReminderSent]:
    """Queue one teacher's email about ``forms`` (all theirs) through the outbox, with a
    ``ReminderSent`` row per form, in the caller's transaction: by the daily ``run``, or
    from the tracker ``sent_by`` a coordinator."""
    message = queue_template(
        to=to,
        template="observations/email/reminder.txt",
        context={
            "teacher": forms[0].pairing.teacher,
            "forms": forms,
            "today": today,
            "overdue": any(f.due_on < today for f in forms),
            "link": settings.SITE_URL.rstrip("/") + reverse("observations:index"),
        },
        kind="reminder",
    )
    return [
        ReminderSent.objects.create(
            pairing=form.pairing,
            kind=form.kind,
            due_on=form.due_on,
            sent_to=to,
            sent_on=today,
            run=run,
            message=message,
            sent_by=sent_by,
        )
        for form in forms
    ]


@dataclass
class ReminderResult:
    emails: int = 0
    forms: int = 0


def send_reminders(
    *, today: date, dry_run: bool = False, trigger: str = ReminderRun.Trigger.COMMAND
) -> ReminderResult:
    """Queue one email per teacher about their due forms, recorded as a ``ReminderRun``
    (not for a dry run). Each teacher's email and its ``ReminderSent`` rows commit together."""
    by_teacher: dict[int, list[DueForm]] = defaultdict(list)
    for form in due_end_of_pilot_forms(today):
        by_teacher[form.pairing.teacher_id].append(form)
    result = ReminderResult()
    run = None if dry_run else ReminderRun.objects.create(trigger=trigger, for_date=today)
    for forms in by_teacher.values():
        teacher = forms[0].pairing.teacher
        to = staff_email(teacher)
        if not to:
            continue
        if dry_run:
            result.emails += 1
            result.forms += len(forms)
            continue
        try:
            with transaction.atomic():
                queue_reminder(to=to, forms=forms, today=today, run=run)
        except IntegrityError:
            continue  # another run reminded these at the same moment
        result.emails += 1
        result.forms += len(forms)
    if run is not None:
        run.emails, run.forms, run.finished_at = result.emails, result.forms, timezone.now()
        run.save(update_fields=["emails", "forms", "finished_at"])
    return result
