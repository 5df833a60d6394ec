""" "What to do next" at the top of each dashboard, "Log a session" where a teacher starts,
and status badges with words as well as colour."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from .factories import (
    CourseFactory,
    EnrollmentFactory,
    MentoringSessionFactory,
    ObservationFactory,
    OfferingFactory,
    PairingFactory,
    ParaFactory,
    current_rubric,
)

pytestmark = pytest.mark.django_db


def next_section(response) -> str:
    """The words of the "What to do next" section, tags removed."""
    html = response.content.decode()
    match = re.search(r'<section aria-labelledby="next-heading".*?</section>', html, re.S)
    assert match, "no What to do next section"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(0)).split())


def test_teacher_sees_overdue_forms_first_then_forms_due_soon(world, login) -> None:
    current_rubric()
    today = timezone.localdate()
    # Baseline due 30 days after the start: overdue for one pairing, due in 10 days for another.
    late = PairingFactory(
        cohort=world.cohort,
        teacher=world.teacher,
        paraprofessional=world.para,
        starts_on=today - timedelta(days=40),
    )
    soon = PairingFactory(
        cohort=world.cohort,
        teacher=world.teacher,
        paraprofessional=ParaFactory(school=world.school_a, first_name="Zoe"),
        starts_on=today - timedelta(days=20),
    )
    MentoringSessionFactory(pairing=late, held_on=today)
    MentoringSessionFactory(pairing=soon, held_on=today)
    response = login(world.users["teacher"]).get("/")
    steps = response.context["next_actions"]
    assert [s["status"] for s in steps] == ["overdue", "due"]
    assert steps[0]["text"].startswith(f"Start the baseline observation of {world.para.full_name}")
    assert steps[0]["url"] == reverse("observations:create", args=[late.uuid]) + "?kind=baseline"
    assert steps[1]["url"] == reverse("observations:create", args=[soon.uuid]) + "?kind=baseline"
    words = next_section(response)
    assert words.startswith("What to do next Overdue Start the baseline observation")
    # The section comes before the figures.
    html = response.content.decode()
    assert html.index("What to do next") < html.index("Paraprofessionals I mentor")


def test_teacher_is_asked_to_log_a_session_for_a_pair_with_none_this_month(world, login) -> None:
    pairing = PairingFactory(
        cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para
    )
    response = login(world.users["teacher"]).get("/")
    create = reverse("mentoring:session-create", args=[pairing.uuid])
    assert any(
        s["url"] == create and s["text"].startswith(f"Log a session with {world.para.full_name}")
        for s in response.context["next_actions"]
    )
    MentoringSessionFactory(pairing=pairing, held_on=timezone.localdate())
    response = login(world.users["teacher"]).get("/")
    assert not any(s["url"] == create for s in response.context["next_actions"])


def test_each_paraprofessional_card_has_log_a_session(world, login) -> None:
    mine = PairingFactory(cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para)
    html = login(world.users["teacher"]).get("/").content.decode()
    card = html[html.index('id="mentoring-panel-heading"') :]
    link = f'href="{reverse("mentoring:session-create", args=[mine.uuid])}"'
    assert link in card
    assert f'Log a session<span class="visually-hidden"> with {world.para.full_name}' in card


def test_log_a_session_is_on_the_first_screen_of_the_pairing_page(world, login) -> None:
    pairing = PairingFactory(
        cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para
    )
    html = login(world.users["teacher"]).get(f"/pairings/{pairing.uuid}/").content.decode()
    link = f'href="{reverse("mentoring:session-create", args=[pairing.uuid])}"'
    # Next to the heading, before the pairing's details.
    assert html.index(link) < html.index("Teacher (mentor)")
    # A coordinator may not log the pair's sessions: no link for them.
    html = login(world.users["pc"]).get(f"/pairings/{pairing.uuid}/").content.decode()
    assert link not in html


def test_paraprofessional_is_asked_to_acknowledge_their_observation(world, login) -> None:
    current_rubric()
    pairing = PairingFactory(
        cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para
    )
    observation = ObservationFactory(pairing=pairing, kind="baseline", scores=2, submitted=True)
    response = login(world.users["para"]).get("/")
    assert "Read and acknowledge your baseline observation" in next_section(response)
    detail = reverse("observations:detail", args=[observation.uuid])
    assert detail in [s["url"] for s in response.context["next_actions"]]


def test_liaison_is_asked_to_record_grades_of_ended_offerings(world, login) -> None:
    today = timezone.localdate()
    offering = OfferingFactory(
        cohort=world.cohort,
        course=CourseFactory(college=world.college, code="EDU 210"),
        starts_on=world.cohort.starts_on,
        ends_on=today - timedelta(days=3),
    )
    EnrollmentFactory(para=world.para, offering=offering)
    response = login(world.users["liaison"]).get("/")
    steps = response.context["next_actions"]
    assert [s["url"] for s in steps] == [
        reverse("coursework:offering-grades", args=[offering.uuid])
    ]
    assert "Record final grades for EDU 210" in next_section(response)


def test_coordinator_is_asked_to_pair_paraprofessionals_without_a_mentor(world, login) -> None:
    response = login(world.users["pc"]).get("/")
    words = next_section(response)
    assert re.search(r"Pair \d+ paraprofessionals? who (has|have) no mentor yet", words), words
    assert any(s["url"] == reverse("mentoring:unpaired") for s in response.context["next_actions"])


def test_nothing_waiting_says_so(world, login) -> None:
    response = login(world.users["liaison"]).get("/")
    assert response.context["next_actions"] == []
    assert "Nothing is waiting for you right now." in next_section(response)


def test_status_badges_carry_words_and_an_icon(world, login) -> None:
    PairingFactory(cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para)
    html = login(world.users["pc"]).get("/pairings/").content.decode()
    badge = re.search(r'<span class="status-badge status-active">(.*?)</span>', html, re.S)
    assert badge, "no active badge on the pairing list"
    assert 'aria-hidden="true"' in badge.group(1) and badge.group(1).endswith("Active")
