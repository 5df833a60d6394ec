"""Who sees what of a pairing: another pair's members get 404; coordinators get numbers,
never the text of notes, next steps or goals."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import (
    GoalFactory,
    MentoringSessionFactory,
    PairingFactory,
    ParaFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_pair(world):
    """A pair in district A that is not the world's teacher and para."""
    pairing = PairingFactory(
        cohort=world.cohort,
        teacher=TeacherFactory(school=world.school_a),
        paraprofessional=ParaFactory(school=world.school_a),
    )
    session = MentoringSessionFactory(pairing=pairing, notes="Other pair's private note")
    goal = GoalFactory(pairing=pairing, text="Other pair's private goal")
    return pairing, session, goal


@pytest.mark.parametrize("persona", ["teacher", "para"])
def test_member_of_another_pair_gets_404(world, other_pair, client, persona) -> None:
    pairing, session, goal = other_pair
    # The world's teacher and para are a pair of their own.
    PairingFactory(cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para)
    client.force_login(world.users[persona])
    urls = [
        reverse("mentoring:pairing-detail", args=[pairing.uuid]),
        reverse("mentoring:session-create", args=[pairing.uuid]),
        reverse("mentoring:goal-create", args=[pairing.uuid]),
        reverse("mentoring:session-detail", args=[session.uuid]),
        reverse("mentoring:session-update", args=[session.uuid]),
        reverse("mentoring:goal-update", args=[goal.uuid]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    posted = client.post(
        reverse("mentoring:session-update", args=[session.uuid]),
        {"held_on": "2026-09-01", "minutes": "5", "focus_areas": ["engagement"], "notes": "x"},
    )
    assert posted.status_code == 404
    session.refresh_from_db()
    assert session.notes == "Other pair's private note"
    listing = client.get(reverse("mentoring:pairing-list")).content.decode()
    assert pairing.paraprofessional.last_name not in listing


@pytest.mark.parametrize("persona", ["pc", "dc_own"])
def test_coordinator_gets_counts_not_text(world, client, persona) -> None:
    pairing = PairingFactory(
        cohort=world.cohort,
        teacher=world.teacher,
        paraprofessional=world.para,
        starts_on=date(2026, 9, 1),
    )
    MentoringSessionFactory(
        pairing=pairing,
        held_on=date(2026, 9, 8),
        minutes=40,
        notes="Secret note about Jordan",
        next_steps="Secret next step",
    )
    MentoringSessionFactory(pairing=pairing, held_on=date(2026, 9, 22), minutes=20)
    MentoringSessionFactory(pairing=pairing, held_on=date(2026, 10, 6), minutes=30)
    GoalFactory(pairing=pairing, text="Secret goal text", status="open")
    GoalFactory(pairing=pairing, status="met")
    client.force_login(world.users[persona])
    page = client.get(reverse("mentoring:pairing-detail", args=[pairing.uuid]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "3 sessions, 90 minutes in all." in html
    assert 'September 2026</th><td class="text-end">2</td><td class="text-end">60' in html
    assert 'October 2026</th><td class="text-end">1</td><td class="text-end">30' in html
    assert "2 goals: 1 open, 1 met, 0 dropped." in html
    for secret in ("Secret note", "Secret next step", "Secret goal text", "Private session note"):
        assert secret not in html
    session = pairing.sessions.first()
    assert client.get(reverse("mentoring:session-detail", args=[session.uuid])).status_code == 403


def test_members_read_the_text(world, client) -> None:
    pairing = PairingFactory(
        cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para
    )
    MentoringSessionFactory(pairing=pairing, notes="Shared note", next_steps="Shared step")
    GoalFactory(pairing=pairing, text="Shared goal")
    for persona in ("teacher", "para"):
        client.force_login(world.users[persona])
        html = client.get(reverse("mentoring:pairing-detail", args=[pairing.uuid])).content
        assert b"Shared note" in html and b"Shared step" in html and b"Shared goal" in html


def test_pairing_list_is_scoped(world, client) -> None:
    own = PairingFactory(cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para)
    beta = PairingFactory(
        cohort=world.cohort, teacher=world.teacher_b, paraprofessional=world.para_b
    )
    expected = {
        "pc": {own, beta},
        "dc_own": {own},
        "dc_other": {beta},
        "teacher": {own},
        "para": {own},
    }
    for persona, visible in expected.items():
        client.force_login(world.users[persona])
        html = client.get(reverse("mentoring:pairing-list")).content.decode()
        for pairing in (own, beta):
            url = reverse("mentoring:pairing-detail", args=[pairing.uuid])
            assert (url in html) == (pairing in visible), (persona, pairing)
