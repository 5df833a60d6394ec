"""Quotes: a coordinator approves several at once (all or nothing, a message on each row
that cannot be), and only strengths and next steps are offered unless the teacher ticks
another comment."""

import pytest
from django.urls import reverse

from observations.forms import ObservationForm, SeenQuotesField
from observations.models import Quote
from pilot.models import Cohort

from .factories import ObservationFactory, PairingFactory, QuoteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(world):
    """Three quotes waiting for approval, of three submitted observations of the world's
    pair (the district of ``dc_own``)."""
    pairing = PairingFactory(
        cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para
    )
    quotes = []
    for kind in ("baseline", "mid", "end"):
        observation = ObservationFactory(pairing=pairing, kind=kind, scores=3, submitted=True)
        quotes.append(QuoteFactory(observation=observation, status="pending"))
    return quotes


def token(quote: Quote) -> str:
    return SeenQuotesField.token(quote)


def statuses(quotes: list[Quote]) -> list[str]:
    return [Quote.objects.get(pk=q.pk).status for q in quotes]


def test_the_list_offers_ticks_in_a_fieldset_and_all_shown(world, login, pending):
    html = login(world.users["dc_own"]).get(reverse("observations:quote-list")).content.decode()
    assert "<fieldset" in html and "<legend" in html
    assert html.count('type="checkbox" name="quote"') == 3
    assert "Approve all 3 shown" in html


def test_approving_the_ones_ticked(world, login, pending):
    client = login(world.users["dc_own"])
    response = client.post(
        reverse("observations:quote-approve-many"),
        {"quote": [token(pending[0]), token(pending[2])], "shown": [token(q) for q in pending]},
        follow=True,
    )
    assert "2 quotes approved." in response.content.decode()
    assert statuses(pending) == ["approved", "pending", "approved"]
    # Each decided as a single one is: by whom and when.
    first = Quote.objects.get(pk=pending[0].pk)
    assert first.decided_by == world.users["dc_own"] and first.decided_at is not None


def test_approving_all_shown(world, login, pending):
    client = login(world.users["pc"])
    client.post(
        reverse("observations:quote-approve-many"),
        {"everyone": "shown", "shown": [token(q) for q in pending]},
    )
    assert statuses(pending) == ["approved"] * 3


def test_a_quote_decided_or_reworded_meanwhile_stops_them_all(world, login, pending):
    shown = [token(q) for q in pending]
    # Since the page was loaded: one declined elsewhere, one reworded by the teacher.
    Quote.objects.filter(pk=pending[1].pk).update(
        status="declined", decided_at=pending[1].created_at
    )
    reworded = Quote.objects.get(pk=pending[2].pk)
    reworded.text = "New words."
    reworded.save()
    client = login(world.users["dc_own"])
    response = client.post(
        reverse("observations:quote-approve-many"), {"quote": shown, "shown": shown}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was approved: 2 of the 3 quotes chosen cannot be approved" in html
    assert "Already declined meanwhile." in html  # the declined one is no longer listed
    assert f'id="problem-{pending[2].uuid}"' in html
    assert "changed these words after this page was loaded" in html
    assert statuses(pending) == ["pending", "declined", "pending"]
    # The rows stay ticked as posted.
    assert f'value="{token(pending[0])}" id="tick-{pending[0].uuid}" checked' in html


def test_a_quote_of_a_closed_cohort_or_out_of_scope_is_refused_on_its_row(world, login, pending):
    Cohort.objects.filter(pk=world.cohort.pk).update(status=Cohort.Status.CLOSED)
    client = login(world.users["pc"])
    html = client.post(
        reverse("observations:quote-approve-many"), {"quote": [token(pending[0])]}
    ).content.decode()
    assert "is closed: its records can no longer change." in html
    assert statuses(pending) == ["pending"] * 3
    html = (
        login(world.users["dc_other"])
        .post(reverse("observations:quote-approve-many"), {"quote": [token(pending[1])]})
        .content.decode()
    )
    assert "No longer waiting for your approval" in html
    assert statuses(pending) == ["pending"] * 3


def test_nothing_ticked_or_a_forged_row_gets_a_message(world, login, pending):
    client = login(world.users["pc"])
    response = client.post(reverse("observations:quote-approve-many"), {}, follow=True)
    assert "Tick the quotes to approve first." in response.content.decode()
    response = client.post(
        reverse("observations:quote-approve-many"), {"quote": ["not-a-quote"]}, follow=True
    )
    assert "The quotes could not be read" in response.content.decode()
    assert statuses(pending) == ["pending"] * 3


def test_strengths_and_next_steps_are_offered_by_default_growth_only_when_ticked(world):
    pairing = PairingFactory(
        cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para
    )
    new = ObservationFactory(pairing=pairing, strengths="", growth="", next_steps="")
    initial = ObservationForm.initial_for(new, [])
    assert initial["quotable_strengths"] and initial["quotable_next_steps"]
    assert not initial["quotable_growth"]
    # Once written and saved, the teacher's choice stands: unticked strengths stay unticked,
    # a ticked growth stays ticked.
    written = ObservationFactory(pairing=pairing, kind="mid", growth="Wait time after questions.")
    QuoteFactory(observation=written, comment="growth", text=written.growth, status="pending")
    initial = ObservationForm.initial_for(written, [])
    assert not initial["quotable_strengths"] and initial["quotable_growth"]
