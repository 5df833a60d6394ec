"""The person page: who opens it (every role, and the 404s), what it shows (numbers, never
session notes), edit links only for those allowed, and a fixed number of queries."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from pathways import services
from pathways.models import CohortStatus
from tests.factories import (
    CohortFactory,
    GoalFactory,
    MentoringSessionFactory,
    PairingFactory,
    ParaFactory,
    TeacherFactory,
    UserFactory,
)
from tests.world import World

pytestmark = pytest.mark.django_db


def _path(w: World, years: int = 1):
    """The world's para with ``years`` pilot years: the world's teacher mentors the last;
    each earlier year has another mentor."""
    pairings = []
    for n in range(years - 1, -1, -1):
        start = w.cohort.starts_on - timedelta(days=365 * n)
        cohort = (
            w.cohort
            if n == 0
            else CohortFactory(
                name=f"Year -{n}", starts_on=start, ends_on=start + timedelta(days=330)
            )
        )
        teacher = w.teacher if n == 0 else TeacherFactory(school=w.school_a)
        pairing = PairingFactory(
            cohort=cohort, teacher=teacher, paraprofessional=w.para, district=w.district_a
        )
        MentoringSessionFactory(pairing=pairing, minutes=45, notes="Private session note")
        GoalFactory(pairing=pairing, status="met", text="Private goal text")
        services.record_status(
            para=w.para,
            cohort=cohort,
            status="continuing",
            recorded_on=cohort.starts_on,
            by=w.users["pc"],
        )
        services.record_assessment(
            para=w.para,
            kind="paraprofessional",
            name="Praxis ParaPro",
            code=f"1755-{n}",
            taken_on=cohort.starts_on,
            passed=True,
            by=w.users["pc"],
            verified=True,
        )
        pairings.append(pairing)
    return pairings


@pytest.mark.parametrize(
    "persona,status",
    [
        ("pc", 200),
        ("dc_own", 200),
        ("dc_other", 404),
        ("teacher", 200),
        ("para", 200),
        ("liaison", 404),  # the para studies nowhere at the liaison's college
    ],
)
def test_who_opens_the_person_page(world, login, persona, status) -> None:
    _path(world)
    response = login(world.users[persona]).get(reverse("pathways:person", args=[world.para.uuid]))
    assert response.status_code == status


def test_another_pairs_teacher_gets_404_and_a_past_mentor_200(world, login) -> None:
    first, _ = _path(world, years=2)
    other_teacher = TeacherFactory(school=world.school_a, user=UserFactory())
    PairingFactory(
        cohort=world.cohort,
        teacher=other_teacher,
        paraprofessional=ParaFactory(school=world.school_a),
        district=world.district_a,
    )
    url = reverse("pathways:person", args=[world.para.uuid])
    assert login(other_teacher.user).get(url).status_code == 404
    first.teacher.user = UserFactory()
    first.teacher.save()
    assert login(first.teacher.user).get(url).status_code == 200
    # Another paraprofessional's page is a 404 for the para.
    other = reverse("pathways:person", args=[world.para_b.uuid])
    assert login(world.users["para"]).get(other).status_code == 404


def test_page_shows_each_year_and_never_the_notes(world, login) -> None:
    _path(world, years=2)
    page = login(world.users["dc_own"]).get(reverse("pathways:person", args=[world.para.uuid]))
    text = page.content.decode()
    assert "Year -1" in text and world.cohort.name in text
    assert "1 (45 minutes)" in text
    assert "Private session note" not in text and "Private goal text" not in text
    assert "Record a status" in text  # a coordinator in scope records statuses
    assert "Record a credential" not in text  # the liaison's


def test_the_person_records_an_assessment_a_coordinator_verifies_it(world, login) -> None:
    _path(world)
    client = login(world.users["para"])
    url = reverse("pathways:milestone-create", args=[world.para.uuid, "assessment"])
    response = client.post(
        url,
        {
            "kind": "licensure",
            "name": "Praxis Elementary Education",
            "code": "5001",
            "taken_on": (date.today() + timedelta(days=3)).isoformat(),
            "passed": "yes",
        },
    )
    assert "The date is in the future." in response.content.decode()
    response = client.post(
        url,
        {
            "kind": "licensure",
            "name": "Praxis Elementary Education",
            "code": "5001",
            "taken_on": world.cohort.starts_on.isoformat(),
            "passed": "yes",
        },
    )
    assert response.status_code == 302
    page = login(world.users["dc_own"]).get(reverse("pathways:person", args=[world.para.uuid]))
    assert "not verified yet" in page.content.decode()
    assert (
        login(world.users["teacher"])
        .get(reverse("pathways:milestone-create", args=[world.para.uuid, "status"]))
        .status_code
        == 403
    )


def test_withdrawal_form_asks_for_the_reason(world, login) -> None:
    _path(world)
    CohortStatus.objects.all().delete()
    response = login(world.users["pc"]).post(
        reverse("pathways:milestone-create", args=[world.para.uuid, "status"]),
        {
            "cohort": world.cohort.pk,
            "status": "withdrew",
            "recorded_on": world.cohort.starts_on.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "Choose why they withdrew." in response.content.decode()
    assert not CohortStatus.objects.exists()


@pytest.mark.parametrize("years", [1, 10])
def test_person_page_queries_stay_flat(world, login, django_assert_max_num_queries, years) -> None:
    _path(world, years=years)
    client = login(world.users["pc"])
    with django_assert_max_num_queries(20):
        response = client.get(reverse("pathways:person", args=[world.para.uuid]))
    assert response.status_code == 200
    assert response.content.decode().count("(Paraprofessional assessment)") == years


def test_staff_page_links_to_the_person_page(world, login) -> None:
    _path(world)
    page = login(world.users["pc"]).get(reverse("pilot:staff-detail", args=[world.para.uuid]))
    assert reverse("pathways:person", args=[world.para.uuid]) in page.content.decode()


def test_a_status_sent_twice_is_saved_once(world, login) -> None:
    from tests.test_double_submit_apps import page_token

    _path(world)
    CohortStatus.objects.all().delete()
    client = login(world.users["pc"])
    url = reverse("pathways:milestone-create", args=[world.para.uuid, "status"])
    data = {
        "cohort": world.cohort.pk,
        "status": "continuing",
        "recorded_on": world.cohort.starts_on.isoformat(),
        "form_token": page_token(client, url),
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert CohortStatus.objects.count() == 1


def test_progress_page_suggests_recording_a_met_credential(world, login) -> None:
    from decimal import Decimal

    from tests.factories import (
        CourseFactory,
        DegreePlanFactory,
        EnrollmentFactory,
        OfferingFactory,
        RequirementBlockFactory,
    )

    _path(world)
    course = CourseFactory(college=world.college, credit_hours=Decimal(3))
    EnrollmentFactory(
        para=world.para, offering=OfferingFactory(course=course, cohort=world.cohort), grade="A"
    )
    plan = DegreePlanFactory(college=world.college, name="Para Certificate", total_credits=3)
    RequirementBlockFactory(plan=plan, credits_required=Decimal(3), courses=[course])
    plan.declarations.create(para=world.para, declared_on=world.cohort.starts_on)
    url = reverse("coursework:progress-for", args=[world.para.uuid])
    text = login(world.users["liaison"]).get(url).content.decode()
    assert "Every block of Para Certificate is met: the college can record the credential" in text
    assert reverse("pathways:person", args=[world.para.uuid]) in text
    person = login(world.users["liaison"]).get(reverse("pathways:person", args=[world.para.uuid]))
    assert reverse("pathways:milestone-create", args=[world.para.uuid, "credential"]) in (
        person.content.decode()
    )


def test_lists_that_name_a_paraprofessional_link_to_the_person_page(world, login) -> None:
    """The pairing list, an offering's roster and the observations page name the
    paraprofessional with a link to their path (the core's ``{% person %}`` tag)."""
    from tests.factories import CourseFactory, EnrollmentFactory, OfferingFactory

    _path(world)
    course = CourseFactory(college=world.college)
    offering = OfferingFactory(course=course, cohort=world.cohort)
    EnrollmentFactory(para=world.para, offering=offering)
    link = (
        f'<a href="{reverse("pathways:person", args=[world.para.uuid])}">{world.para.full_name}</a>'
    )
    pc = login(world.users["pc"])
    assert link in pc.get(reverse("mentoring:pairing-list")).content.decode()
    roster = reverse("coursework:offering-detail", args=[offering.uuid])
    assert link in login(world.users["liaison"]).get(roster).content.decode()
    teacher = login(world.users["teacher"])
    assert link in teacher.get(reverse("observations:index")).content.decode()


def test_the_liaison_of_their_college_and_a_former_paraprofessional_open_it(world, login) -> None:
    """The liaison sees the person once they study at the liaison's college; a person whose
    record became a teacher's still opens their own page (and their mentor too)."""
    from tests.factories import CourseFactory, EnrollmentFactory, OfferingFactory
    from tests.test_pathways_teacher_records import _as_teacher

    (pairing,) = _path(world)
    url = reverse("pathways:person", args=[world.para.uuid])
    assert login(world.users["liaison"]).get(url).status_code == 404
    course = CourseFactory(college=world.college)
    EnrollmentFactory(para=world.para, offering=OfferingFactory(course=course, cohort=world.cohort))
    assert login(world.users["liaison"]).get(url).status_code == 200
    pairing.status, pairing.closed_on = "completed", world.cohort.starts_on
    pairing.save()
    _as_teacher(world)
    for persona, status in [("para", 200), ("teacher", 200), ("dc_own", 200), ("dc_other", 404)]:
        assert login(world.users[persona]).get(url).status_code == status, persona
