"""`send_reminders`: teachers hear about end-of-pilot forms due within 14 days or overdue,
once per due form however often the command runs."""

from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import TestCase

from observations.models import ReminderSent

from .factories import ObservationFactory, PairingFactory, ParaFactory, TeacherFactory, UserFactory

pytestmark = pytest.mark.django_db


def run(day: str) -> str:
    from io import StringIO

    out = StringIO()
    # The mail leaves after the run's transactions commit (the outbox's on_commit).
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("send_reminders", "--date", day, stdout=out)
    return out.getvalue()


@pytest.fixture
def pairings(world):
    teacher = world.teacher  # has a sign-in: reminders go to it
    school = world.school_a
    due_soon = PairingFactory(cohort=world.cohort, teacher=teacher)  # ends 2027-06-30
    overdue = PairingFactory(
        cohort=world.cohort,
        teacher=teacher,
        paraprofessional=ParaFactory(school=school),
        ends_on=date(2027, 3, 1),
    )
    ObservationFactory(pairing=overdue, kind="end", scores=2)  # a draft: still due
    done = PairingFactory(cohort=world.cohort, teacher=teacher)
    ObservationFactory(pairing=done, kind="end", scores=3, submitted=True)
    completed = PairingFactory(
        cohort=world.cohort,
        teacher=teacher,
        status="completed",
        closed_on=date(2027, 3, 1),
        ends_on=date(2027, 3, 1),
    )
    other_teacher = TeacherFactory(school=school, user=UserFactory(email="t2@example.test"))
    other = PairingFactory(cohort=world.cohort, teacher=other_teacher, ends_on=date(2027, 6, 28))
    return {
        "due_soon": due_soon,
        "overdue": overdue,
        "done": done,
        "completed": completed,
        "other": other,
    }


def test_reminders_sent_once_per_due_form(world, pairings):
    # June 10: only the overdue form (March 1) is within the window.
    assert "Sent 1 reminder email about 1 end-of-pilot form" in run("2027-06-10")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.users["teacher"].email]
    assert pairings["overdue"].paraprofessional.full_name in message.body
    assert "(overdue)" in message.body and "draft started" in message.body

    # Run again the same day, and the next: nothing new is sent.
    run("2027-06-10")
    run("2027-06-11")
    assert len(mail.outbox) == 1

    # June 20: the forms due June 28 and June 30 come into the window, one email each
    # teacher; the overdue one is not repeated; the submitted and completed ones never.
    assert "Sent 2 reminder emails about 2 end-of-pilot forms" in run("2027-06-20")
    assert len(mail.outbox) == 3
    by_recipient = {m.to[0]: m.body for m in mail.outbox[1:]}
    assert (
        pairings["due_soon"].paraprofessional.full_name
        in by_recipient[world.users["teacher"].email]
    )
    assert (
        pairings["overdue"].paraprofessional.full_name
        not in by_recipient[world.users["teacher"].email]
    )
    assert "t2@example.test" in by_recipient
    reminded = set(ReminderSent.objects.values_list("pairing_id", flat=True))
    assert reminded == {pairings[k].pk for k in ("due_soon", "overdue", "other")}

    run("2027-07-01")
    assert len(mail.outbox) == 3


def test_dry_run_sends_nothing(world, pairings):
    call_command(
        "send_reminders", "--date", "2027-06-20", "--dry-run", stdout=__import__("io").StringIO()
    )
    assert not mail.outbox and not ReminderSent.objects.exists()
