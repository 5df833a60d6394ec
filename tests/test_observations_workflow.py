"""The observation workflow end to end, through the pages: start, save a draft, a
concurrent save refused, an incomplete submit refused, submit, editing refused,
acknowledge, reopen with a reason, resubmit."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from observations.models import Observation, ObservationLocked, Rating, Reopening
from pilot.models import AuditEntry

from .factories import ObservationFactory, PairingFactory, current_rubric

pytestmark = pytest.mark.django_db


@pytest.fixture
def pairing(world):
    return PairingFactory(cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para)


def form_data(observation, *, scores: int | None = 3, skip: int = 0, **extra) -> dict:
    """What the teacher's form posts: every indicator rated ``scores`` except the last
    ``skip`` ones."""
    indicators = list(observation.rubric.indicators.order_by("domain__position", "position"))
    data = {
        "version": observation.version,
        "observed_on": "2026-09-15",
        "strengths": "Gives clear, kind directions.",
        "growth": "Wait time after questions.",
        "next_steps": "Try think-pair-share in small groups.",
        "action": "save",
    }
    for n, indicator in enumerate(indicators):
        if scores is not None and n < len(indicators) - skip:
            data[f"score_{indicator.pk}"] = str(scores)
        data[f"evidence_{indicator.pk}"] = f"Evidence for {indicator.key}."
    if extra.get("action") == "submit":
        data["confirmed"] = "yes"  # past the confirmation page (tested on its own)
    data.update(extra)
    return data


def test_full_workflow(world, pairing, client, settings, django_capture_on_commit_callbacks):
    emails = django_capture_on_commit_callbacks
    settings.SITE_URL = "https://pilot.example.test"
    teacher, para, pc = world.users["teacher"], world.users["para"], world.users["pc"]
    client.force_login(teacher)

    # The teacher's page lists the pairing with every form still to start.
    page = client.get(reverse("observations:index"))
    assert page.status_code == 200
    start_url = reverse("observations:create", args=[pairing.uuid])
    assert f"{start_url}?kind=baseline" in page.content.decode()

    # Start a baseline: a draft on the current rubric with an empty rating per indicator.
    response = client.post(start_url, {"kind": "baseline", "observed_on": "2026-09-10"})
    observation = Observation.objects.get(pairing=pairing, kind="baseline")
    assert response.status_code == 302
    assert response["Location"] == reverse("observations:detail", args=[observation.uuid])
    assert observation.status == "draft" and observation.rubric == current_rubric()
    assert observation.ratings.count() == 9 and not observation.ratings.filter(score__isnull=False)

    # The form: ratings grouped by domain in fieldsets, a radio per level.
    page = client.get(response["Location"]).content.decode()
    assert '<legend class="h4">Classroom Support</legend>' in page
    assert page.count('type="radio"') == 9 * 4
    save_url = reverse("observations:save", args=[observation.uuid])

    # Save a partial draft: saved, version moves on.
    response = client.post(save_url, form_data(observation, skip=2))
    assert response.status_code == 302
    observation.refresh_from_db()
    assert observation.version == 2
    assert observation.ratings.filter(score=3).count() == 7
    assert observation.strengths == "Gives clear, kind directions."

    # A save from a copy opened before that (version 1) is refused; nothing is overwritten.
    stale = form_data(observation, scores=1, strengths="Overwritten?")
    stale["version"] = 1
    response = client.post(save_url, stale)
    assert response.status_code == 409
    assert "saved elsewhere" in response.content.decode()
    observation.refresh_from_db()
    assert observation.version == 2 and observation.strengths == "Gives clear, kind directions."
    assert not observation.ratings.filter(score=1).exists()

    # Submitting with two indicators unrated is refused: they are marked, nothing written.
    response = client.post(
        save_url, form_data(observation, skip=2, action="submit", strengths="Changed")
    )
    assert response.status_code == 200
    page = response.content.decode()
    last_two = observation.rubric.indicators.order_by("-domain__position", "-position")[:2]
    for indicator in last_two:
        assert f'id="score_{indicator.pk}_error">Choose a rating before submitting.' in page
    assert page.count('_error">Choose a rating before submitting.') == 2
    observation.refresh_from_db()
    assert (
        observation.status == "draft" and observation.strengths == "Gives clear, kind directions."
    )
    assert not mail.outbox

    # Submit with every indicator rated: locked, submitted time set, the para emailed.
    with emails(execute=True):
        response = client.post(
            save_url, form_data(observation, action="submit", quotable_strengths="on")
        )
    assert response.status_code == 302
    observation.refresh_from_db()
    assert observation.status == "submitted" and observation.submitted_at is not None
    assert observation.ratings.filter(score=3).count() == 9
    assert observation.quotes.get().comment == "strengths"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [para.email]
    assert f"https://pilot.example.test/observations/{observation.uuid}/" in mail.outbox[0].body
    submitted_at = observation.submitted_at

    # Editing a submitted observation is refused, by the page and by the ORM.
    response = client.post(save_url, form_data(observation, scores=1), follow=True)
    assert "read-only" in response.content.decode()
    observation.refresh_from_db()
    assert observation.submitted_at == submitted_at and not observation.ratings.filter(score=1)
    observation.strengths = "Sneaky edit"
    with pytest.raises(ObservationLocked):
        observation.save()
    with pytest.raises(ObservationLocked):
        Rating.objects.filter(observation=observation).first().save()
    page = client.get(reverse("observations:detail", args=[observation.uuid])).content.decode()
    assert 'type="radio"' not in page and "read-only" in page

    # The paraprofessional reads it and acknowledges with a response; the teacher is emailed.
    client.force_login(para)
    page = client.get(reverse("observations:detail", args=[observation.uuid])).content.decode()
    assert "Acknowledge this observation" in page
    with emails(execute=True):
        response = client.post(
            reverse("observations:acknowledge", args=[observation.uuid]),
            {"response": "I will work on wait time."},
        )
    assert response.status_code == 302
    assert observation.acknowledgement.response == "I will work on wait time."
    assert mail.outbox[-1].to == [teacher.email]
    assert "I will work on wait time." in mail.outbox[-1].body
    # A second acknowledgement is refused.
    client.post(reverse("observations:acknowledge", args=[observation.uuid]), {"response": "x"})
    observation.refresh_from_db()
    assert observation.acknowledgement.response == "I will work on wait time."

    # A reopen without a reason is refused; with one it is recorded, logged, and clears
    # the acknowledgement.
    client.force_login(pc)
    reopen_url = reverse("observations:reopen", args=[observation.uuid])
    response = client.post(reopen_url, {"reason": "   "})
    assert response.status_code == 200
    assert Observation.objects.get(pk=observation.pk).status == "submitted"
    with emails(execute=True):
        response = client.post(reopen_url, {"reason": "The date observed is wrong."})
    assert response.status_code == 302
    observation = Observation.objects.get(pk=observation.pk)
    assert observation.status == "draft" and observation.submitted_at is None
    reopening = Reopening.objects.get(observation=observation)
    assert reopening.reason == "The date observed is wrong."
    assert reopening.reopened_by == pc and reopening.previously_submitted_at == submitted_at
    assert reopening.cleared_response == "I will work on wait time."
    assert not hasattr(observation, "acknowledgement")
    entry = AuditEntry.objects.get(action=AuditEntry.Action.REOPEN)
    assert entry.actor == pc and entry.detail == "The date observed is wrong."
    assert (
        mail.outbox[-1].to == [teacher.email] and "date observed is wrong" in mail.outbox[-1].body
    )

    # The paraprofessional no longer sees the draft.
    client.force_login(para)
    assert client.get(reverse("observations:detail", args=[observation.uuid])).status_code == 404

    # The teacher corrects the date and resubmits; the para must acknowledge again.
    client.force_login(teacher)
    page = client.get(reverse("observations:detail", args=[observation.uuid])).content.decode()
    assert "The date observed is wrong." in page
    with emails(execute=True):
        response = client.post(
            save_url, form_data(observation, action="submit", observed_on="2026-09-12")
        )
    assert response.status_code == 302
    observation.refresh_from_db()
    assert observation.status == "submitted" and str(observation.observed_on) == "2026-09-12"
    assert mail.outbox[-1].to == [para.email]
    assert observation.history.count() >= 5  # created, saves, submit, reopen, resubmit


def test_new_observation_offers_only_missing_kinds(world, pairing, client):
    from .factories import ObservationFactory

    ObservationFactory(pairing=pairing, kind="baseline")
    client.force_login(world.users["teacher"])
    response = client.get(reverse("observations:create", args=[pairing.uuid]))
    kinds = [value for value, _ in response.context["form"].fields["kind"].choices]
    assert kinds == ["mid", "end"]
    response = client.post(
        reverse("observations:create", args=[pairing.uuid]),
        {"kind": "baseline", "observed_on": "2026-09-10"},
    )
    assert response.status_code == 200
    assert Observation.objects.filter(pairing=pairing).count() == 1
    response = client.post(
        reverse("observations:create", args=[pairing.uuid]),
        {"kind": "mid", "observed_on": "2025-01-01"},
    )
    assert "Choose a date within the pairing" in response.content.decode()


def quotable_strengths(world, pairing, client):
    """A submitted observation whose teacher offered the strengths comment as a quote."""
    observation = ObservationFactory(pairing=pairing, scores=3, submitted=True)
    client.force_login(world.users["teacher"])
    client.post(
        reverse("observations:quote-consent", args=[observation.uuid]), {"comments": ["strengths"]}
    )
    return observation, observation.quotes.get()


def test_quote_approval(world, pairing, client):
    observation, quote = quotable_strengths(world, pairing, client)
    assert quote.status == "pending" and quote.text == observation.strengths

    client.force_login(world.users["dc_own"])
    page = client.get(reverse("observations:quote-list")).content.decode()
    assert observation.strengths in page
    client.post(reverse("observations:quote-decide", args=[quote.uuid]), {"decision": "approve"})
    quote.refresh_from_db()
    assert quote.status == "approved" and quote.decided_by == world.users["dc_own"]
    pending = client.get(reverse("observations:quote-list")).context["page"].object_list
    assert quote not in list(pending)

    # Withdrawing consent removes the quote, approved or not.
    client.force_login(world.users["teacher"])
    client.post(reverse("observations:quote-consent", args=[observation.uuid]), {})
    assert not observation.quotes.exists()


def test_a_declined_quote_can_be_undone(world, pairing, client):
    _, quote = quotable_strengths(world, pairing, client)
    client.force_login(world.users["dc_own"])
    decide = reverse("observations:quote-decide", args=[quote.uuid])
    client.post(decide, {"decision": "decline"})
    page = client.get(reverse("observations:quote-list")).content.decode()
    assert "Undo decline" in page
    response = client.post(decide, {"decision": "undo"}, follow=True)
    assert "Back to waiting for approval." in response.content.decode()
    quote.refresh_from_db()
    assert (quote.status, quote.decided_by, quote.decided_at) == ("pending", None, None)
    assert quote in list(response.context["page"].object_list)


def test_an_observation_cannot_be_dated_in_the_future(world, client):
    from datetime import timedelta

    from django.urls import reverse as _reverse
    from django.utils import timezone as _tz

    from observations.models import Observation as _Observation
    from tests.factories import PairingFactory as _PairingFactory

    pairing = _PairingFactory(
        teacher=world.teacher, paraprofessional=world.para, cohort=world.cohort
    )
    client.force_login(world.users["teacher"])
    tomorrow = (_tz.localdate() + timedelta(days=1)).isoformat()
    response = client.post(
        _reverse("observations:create", args=[pairing.uuid]),
        {"kind": "mid", "observed_on": tomorrow},
    )
    assert response.status_code == 200
    assert "not a future date" in response.content.decode()
    assert not _Observation.objects.filter(pairing=pairing).exists()


def test_submitting_asks_to_confirm_first_and_saves_nothing_until_then(world, pairing, client):
    observation = ObservationFactory(pairing=pairing, kind="baseline")
    client.force_login(world.users["teacher"])
    save_url = reverse("observations:save", args=[observation.uuid])
    data = form_data(observation, action="submit", strengths="Changed before confirming")
    del data["confirmed"]
    asked = client.post(save_url, data)
    page = asked.content.decode()
    assert asked.status_code == 200
    assert "<h1>Submit the baseline observation of" in page
    assert "Once submitted, the observation is read-only" in page
    assert 'value="Changed before confirming"' in page  # carried, not saved
    observation.refresh_from_db()
    assert observation.status == "draft" and observation.strengths != "Changed before confirming"

    back = client.post(save_url, {**data, "confirmed": "yes", "action": "edit"})
    assert "Changed before confirming" in back.content.decode()  # the form, as filled in
    observation.refresh_from_db()
    assert observation.status == "draft"

    done = client.post(save_url, {**data, "confirmed": "yes"})
    assert done.status_code == 302
    observation.refresh_from_db()
    assert observation.status == "submitted"
    assert observation.strengths == "Changed before confirming"


def test_teachers_dashboard_lists_forms_due_as_links_overdue_first_and_marked(world, login):
    from datetime import date
    from unittest import mock

    from .factories import ParaFactory

    para = ParaFactory(school=world.teacher.school, first_name="Ana", last_name="Lee")
    pairing = PairingFactory(cohort=world.cohort, teacher=world.teacher, paraprofessional=para)
    draft = ObservationFactory(pairing=pairing, kind="mid")
    with mock.patch("django.utils.timezone.localdate", return_value=date(2026, 11, 30)):
        response = login(world.users["teacher"]).get("/")
    page = response.content.decode()
    items = re.findall(r"<li><a href=\"([^\"]+)\">([^<]+)</a>([^<]*)(.*?)</li>", page)
    ours = [item for item in items if "observation of Ana Lee" in item[1]]
    baseline = reverse("observations:create", args=[pairing.uuid]) + "?kind=baseline"
    assert ours[0][:2] == (baseline, "Baseline observation of Ana Lee")
    assert 'class="state-missing">overdue since Aug 31, 2026' in ours[0][3]
    assert ours[1][:3] == (
        reverse("observations:detail", args=[draft.uuid]),
        "Mid-pilot observation of Ana Lee",
        " (draft): due Jan 14, 2027",
    )
    assert "state-missing" not in ours[1][3]
