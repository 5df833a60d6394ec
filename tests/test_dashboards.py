"""Each role's dashboard answers its first question, each figure linked to its detail."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from .factories import (
    EnrollmentFactory,
    GoalFactory,
    MentoringSessionFactory,
    ObservationFactory,
    OfferingFactory,
    PairingFactory,
    ParaFactory,
    current_rubric,
)
from .report_data import build_small_pilot

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def cards(response, key: str) -> dict[str, dict]:
    return {c["label"]: c for c in response.context[key]}


@pytest.fixture
def this_year(world):
    """This year's cohort (the world's): two active pairings in A, one in B; sessions
    this month and last; a baseline submitted in A; credit earned in A."""
    current_rubric()
    today = timezone.localdate()
    a1 = PairingFactory(cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para)
    a2 = PairingFactory(
        cohort=world.cohort,
        teacher=world.teacher,
        paraprofessional=ParaFactory(school=world.school_a),
    )
    b1 = PairingFactory(cohort=world.cohort, teacher=world.teacher_b, paraprofessional=world.para_b)
    MentoringSessionFactory(pairing=a1, held_on=today, minutes=40, next_steps="Lead the warm-up.")
    MentoringSessionFactory(pairing=a2, held_on=today.replace(day=1), minutes=20)
    MentoringSessionFactory(pairing=a1, held_on=today.replace(day=1) - timedelta(days=3))
    MentoringSessionFactory(pairing=b1, held_on=today, minutes=60)
    GoalFactory(pairing=a1)
    ObservationFactory(
        pairing=a1,
        kind="baseline",
        scores=2,
        submitted=True,
        next_steps="Use the transition signal for two weeks.",
    )
    EnrollmentFactory(para=world.para, offering=OfferingFactory(cohort=world.cohort), grade="A")
    return a1, a2, b1


def test_program_coordinator_sees_the_current_cohort_and_growth(world, login, this_year):
    pilot = build_small_pilot(world)
    response = login(world.users["pc"]).get("/")
    now = cards(response, "current_cards")
    month = f"Mentoring minutes in {timezone.localdate():%B}"
    assert now["Districts enrolled"]["value"] == 2
    assert now["Active pairings"]["value"] == 3
    assert (now[month]["value"], now[month]["detail"]) == (120, "3 sessions logged")
    # world.para's A, and P7's course of this cohort in the small pilot (3 credits each).
    assert now["College credits earned"]["value"] == "6.0"
    assert now["College credits earned"]["detail"] == "2 courses passed"
    assert now["Baseline observations submitted"]["value"] == 1
    assert now["Baseline observations submitted"]["detail"] == "of 3 pairings"
    assert now["End-of-pilot observations submitted"]["value"] == 0
    assert now[month]["url"].endswith(f"cohort={world.cohort.uuid}#mentoring-by-month")
    assert now["Active pairings"]["url"] == (
        reverse("mentoring:pairing-list") + f"?cohort={world.cohort.uuid}&status=active"
    )
    growth = cards(response, "growth_cards")
    assert response.context["growth_cohort"] == pilot.cohort
    assert [c["value"] for c in growth.values()] == ["+1.14", "+1.14", "+0.57"]
    assert growth["Classroom Support"]["detail"] == (
        "1.71 at baseline, 2.86 at end of pilot (7 paraprofessionals)"
    )
    page = text(response)
    assert "Average growth by domain: Pilot 2025" in page
    html = response.content.decode()
    for card in [*now.values(), *growth.values()]:
        assert f'href="{card["url"]}"'.replace("&", "&amp;") in html


def test_district_coordinators_see_their_districts_only(world, login, this_year):
    build_small_pilot(world)
    own = login(world.users["dc_own"]).get("/")
    now = cards(own, "current_cards")
    assert now["Active pairings"]["value"] == 2
    assert now["Districts enrolled"]["value"] == 1
    assert now["College credits earned"]["value"] == "3.0"
    assert now[f"Mentoring minutes in {timezone.localdate():%B}"]["value"] == 60
    growth = cards(own, "growth_cards")
    assert growth["Classroom Support"]["value"] == "+1.20"  # Alpha's five pairings
    other = login(world.users["dc_other"]).get("/")
    assert {c["value"] for c in other.context["growth_cards"]} == {"too few to report"}
    page = text(other)
    assert "too few to report" in page
    assert not any(figure in page for figure in ("+1.20", "+1.14", "+0.57"))


def test_dashboards_without_end_of_pilot_data(world, login):
    response = login(world.users["pc"]).get("/")
    assert response.context["growth_cards"] == []
    assert "No pairing has both a baseline and an end-of-pilot observation yet." in text(response)


def test_teacher_sees_paraprofessionals_sessions_this_month_and_forms_due(world, login, this_year):
    response = login(world.users["teacher"]).get("/")
    page = text(response)
    panel = response.context["mentoring_panel"]
    assert len(panel["pairings"]) == 2
    assert (panel["month_sessions"], panel["month_detail"]) == (2, "60 minutes")
    assert f"Mentoring sessions in {timezone.localdate():%B} 2 60 minutes" in page
    assert "Paraprofessionals I mentor 2" in page
    due = len(response.context["observation_forms_due"])
    assert f"Observation forms due {due}" in page and due == 5  # a1's baseline is done


def test_paraprofessional_sees_credit_latest_observation_and_next_steps(world, login, this_year):
    page = text(login(world.users["para"]).get("/"))
    assert "College credit" in page or "Credits toward" in page
    assert "Latest observation" in page
    assert "My next steps" in page
    assert "From your baseline observation: Use the transition signal for two weeks." in page
    assert "From your last mentoring session: Lead the warm-up." in page
    assert "1 open goal with your mentor." in page


@pytest.mark.parametrize("rows", [5, 50])
def test_teacher_dashboard_keeps_its_queries(world, client, django_assert_max_num_queries, rows):
    for _ in range(rows):
        pairing = PairingFactory(
            cohort=world.cohort,
            teacher=world.teacher,
            paraprofessional=ParaFactory(school=world.school_a),
        )
        MentoringSessionFactory(pairing=pairing, held_on=timezone.localdate())
    client.force_login(world.users["teacher"])
    # Two of them work out the mentees' credits earned as their transcripts count them.
    with django_assert_max_num_queries(10):
        response = client.get("/")
    assert response.context["mentoring_panel"]["month_sessions"] == rows
