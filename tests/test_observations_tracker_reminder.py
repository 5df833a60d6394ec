"""A coordinator reminds a teacher from the district's tracker about a due or overdue form:
queued through the outbox, logged, at most once a day per form, shown on the tracker."""

import re
from datetime import date
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

from observations.models import ReminderSent
from pilot.models import AuditEntry, Cohort, OutboxMessage

from .factories import ObservationFactory, PairingFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 30)  # the pairing runs Aug 1, 2026 – Jun 30, 2027


@pytest.fixture
def pairing(world):
    return PairingFactory(cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para)


@pytest.fixture(autouse=True)
def today():
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        yield


def remind(client, pairing, kind="baseline", **kwargs):
    url = reverse("observations:tracker-remind", args=[pairing.uuid, kind])
    return client.post(url, follow=True, **kwargs)


def tracker(client):
    return client.get(reverse("observations:tracker-district", args=["alpha"])).content.decode()


def test_a_reminder_goes_once_a_day_and_the_tracker_shows_it(
    world, login, pairing, django_capture_on_commit_callbacks
):
    client = login(world.users["dc_own"])
    html = tracker(client)
    # The overdue baseline offers a reminder; the mid-pilot form, due in January, does not.
    row = re.search(rf'id="pairing-{pairing.uuid}">(.*?)</tr>', html, re.S).group(1)
    assert row.count("Send a reminder") == 1
    assert reverse("observations:tracker-remind", args=[pairing.uuid, "baseline"]) in row

    with django_capture_on_commit_callbacks(execute=True):
        response = remind(client, pairing)
    page = response.content.decode()
    assert "Reminder about the baseline observation of" in page
    assert response.redirect_chain[-1][0].endswith(f"?cohort={world.cohort.uuid}")
    sent = ReminderSent.objects.get()
    assert (sent.kind, sent.sent_by, sent.sent_on) == ("baseline", world.users["dc_own"], TODAY)
    assert sent.message.kind == "reminder" and len(mail.outbox) == 1
    assert "Baseline observation of" in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="reminder", actor=world.users["dc_own"]).count() == 1
    # The tracker says when the last reminder went.
    assert "Reminded Nov 30, 2026" in tracker(client)

    # A second attempt the same day (by anyone) sends nothing and says why.
    response = remind(login(world.users["pc"]), pairing)
    assert "one a day per form. Nothing was sent." in response.content.decode()
    assert ReminderSent.objects.count() == 1 and OutboxMessage.objects.count() == 1

    # The next day it may go again.
    with mock.patch("django.utils.timezone.localdate", return_value=date(2026, 12, 1)):
        remind(client, pairing)
    assert ReminderSent.objects.count() == 2


def test_no_reminder_for_a_form_not_due_or_submitted(world, login, pairing):
    client = login(world.users["dc_own"])
    assert "reminders go from 14 days before" in remind(client, pairing, "mid").content.decode()
    ObservationFactory(pairing=pairing, kind="baseline", scores=2, submitted=True)
    assert "submitted already" in remind(client, pairing).content.decode()
    assert not ReminderSent.objects.exists() and not OutboxMessage.objects.exists()


def test_a_closed_cohort_is_not_reminded(world, login, pairing):
    Cohort.objects.filter(pk=world.cohort.pk).update(status=Cohort.Status.CLOSED)
    client = login(world.users["dc_own"])
    assert "Send a reminder" not in tracker(client)
    assert "can no longer change" in remind(client, pairing).content.decode()
    assert not ReminderSent.objects.exists()


def test_a_tracker_reminder_does_not_stop_the_daily_one(world, login, pairing):
    from observations.reminders import due_end_of_pilot_forms

    ends_soon = PairingFactory(
        cohort=world.cohort, teacher=world.teacher, ends_on=date(2026, 12, 5)
    )
    remind(login(world.users["dc_own"]), ends_soon, "end")
    assert [f.pairing for f in due_end_of_pilot_forms(TODAY)] == [ends_soon]


def test_the_reminder_buttons_send_the_pages_one_form_with_its_token(
    world, pairing, django_capture_on_commit_callbacks
):
    """The tracker's body is cached and shared: its buttons carry no token of their own but
    submit the page's one form (``form="tracker-remind"``), whose token is this request's."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["dc_own"], backend="django.contrib.auth.backends.ModelBackend")
    html = tracker(client)
    form = re.search(r'<form method="post" id="tracker-remind" hidden>(.*?)</form>', html, re.S)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form[1])[1]
    assert html.count('name="csrfmiddlewaretoken"') == 2  # this form and "Sign out"
    button = re.search(
        r'<button type="submit" form="tracker-remind" formaction="([^"]+)"[^>]*>Send a reminder',
        html,
    )
    assert button[1] == reverse("observations:tracker-remind", args=[pairing.uuid, "baseline"])
    # Without the token the post is refused; with the page's, the reminder goes.
    assert client.post(button[1]).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(button[1], {"csrfmiddlewaretoken": token}, follow=True)
    assert "Reminder about the baseline observation of" in response.content.decode()
    assert ReminderSent.objects.filter(pairing=pairing, kind="baseline").count() == 1
    assert "Reminded Nov 30, 2026" in tracker(client)
