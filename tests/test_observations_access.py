"""Scope rules beyond the matrix: another teacher and the paraprofessional on a draft get
404; a teacher who also coordinates, and a paraprofessional, see exactly their part."""

import pytest
from django.urls import reverse

from observations.access import OBSERVATIONS, QUOTES

from .factories import ObservationFactory, PairingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(world):
    pairing = PairingFactory(
        cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para
    )
    other = PairingFactory(
        cohort=world.cohort, teacher=world.teacher_b, paraprofessional=world.para_b
    )
    return {
        "submitted": ObservationFactory(pairing=pairing, kind="baseline", scores=3, submitted=True),
        "draft": ObservationFactory(pairing=pairing, kind="mid", scores=2),
        "other": ObservationFactory(pairing=other, kind="baseline", scores=3, submitted=True),
        "pairing": pairing,
    }


def test_visible_observations_per_persona(world, records):
    submitted, draft, other = records["submitted"], records["draft"], records["other"]
    visible_observations, teacher_observations = OBSERVATIONS.visible, OBSERVATIONS.written
    own_observations, coordinated_observations = OBSERVATIONS.received, OBSERVATIONS.coordinated
    visible_quotes = QUOTES.visible
    users = world.users
    assert set(visible_observations(users["pc"])) == {submitted, draft, other}
    assert set(visible_observations(users["dc_own"])) == {submitted, draft}
    assert set(visible_observations(users["dc_other"])) == {other}
    assert set(visible_observations(users["teacher"])) == {submitted, draft}
    assert set(visible_observations(users["para"])) == {submitted}  # never a draft
    assert not visible_observations(users["liaison"]).exists()
    assert set(teacher_observations(users["teacher"])) == {submitted, draft}
    assert not teacher_observations(users["para"]).exists()
    assert set(own_observations(users["para"])) == {submitted}
    assert set(coordinated_observations(users["dc_own"])) == {submitted, draft}
    assert not coordinated_observations(users["teacher"]).exists()
    assert not visible_quotes(users["teacher"]).exists()


def test_another_teacher_gets_404(world, records, client):
    client.force_login(world.teacher_b.user)
    for name in ("observations:detail", "observations:save", "observations:quote-consent"):
        method = client.get if name == "observations:detail" else client.post
        response = method(reverse(name, args=[records["submitted"].uuid]))
        assert response.status_code == 404, name
    for name in ("observations:create", "observations:growth"):
        response = client.get(reverse(name, args=[records["pairing"].uuid]))
        assert response.status_code == 404, name


def test_paraprofessional_cannot_see_drafts_or_edit(world, records, client):
    client.force_login(world.users["para"])
    assert (
        client.get(reverse("observations:detail", args=[records["draft"].uuid])).status_code == 404
    )
    response = client.post(
        reverse("observations:save", args=[records["submitted"].uuid]), {"version": 1}
    )
    assert response.status_code == 403
    response = client.post(reverse("observations:acknowledge", args=[records["other"].uuid]))
    assert response.status_code == 404


def test_para_detail_shows_acknowledge_form_and_no_quote_controls(world, records, client):
    client.force_login(world.users["para"])
    page = client.get(reverse("observations:detail", args=[records["submitted"].uuid]))
    html = page.content.decode()
    assert "Acknowledge this observation" in html
    assert "Quotable comments" not in html
    assert "Reopen this observation" not in html


def test_coordinator_detail_offers_reopen_only_in_scope(world, records, client):
    client.force_login(world.users["dc_own"])
    html = client.get(reverse("observations:detail", args=[records["submitted"].uuid])).content
    assert b"Reopen this observation" in html
    client.force_login(world.users["dc_other"])
    response = client.get(reverse("observations:reopen", args=[records["submitted"].uuid]))
    assert response.status_code == 404


def test_policies_are_registered_and_allow_each_action_to_its_persona(world, records):
    from observations.access import RUBRICS
    from observations.models import Observation, Quote, Rubric
    from pilot.access import policy_for

    from .factories import QuoteFactory

    assert policy_for(Observation) is OBSERVATIONS
    assert policy_for(Quote) is QUOTES
    assert policy_for(Rubric) is RUBRICS
    submitted, draft, pairing = records["submitted"], records["draft"], records["pairing"]
    users = {name: user for name, user in world.users.items() if user is not None}
    users["teacher_b"] = world.teacher_b.user
    allowed = {
        ("edit", draft): {"teacher"},
        ("submit", draft): {"teacher"},
        ("edit", submitted): set(),
        ("reopen", submitted): {"pc", "dc_own"},
        ("reopen", draft): set(),
        ("acknowledge", submitted): {"para"},
        ("acknowledge", draft): set(),
        ("consent_to_quote", submitted): {"teacher"},
        ("see_quotes", submitted): {"pc", "dc_own", "teacher"},
        ("start", pairing): {"teacher"},
    }
    for (action, obj), personas in allowed.items():
        for name, user in users.items():
            expected = name in personas
            assert OBSERVATIONS.allows(user, action, obj) is expected, (action, name)
    quote = QuoteFactory(observation=submitted, status="pending")
    for name in ("pc", "dc_own", "dc_other", "teacher"):
        assert QUOTES.allows(users[name], "approve", quote) is (name in {"pc", "dc_own"}), name
    assert RUBRICS.allows(users["pc"], "publish")
    assert not RUBRICS.allows(users["dc_own"], "publish")
    assert not OBSERVATIONS.allows(users["teacher"], "delete", draft)  # no such action
