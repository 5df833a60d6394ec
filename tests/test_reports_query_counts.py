"""The report pages and the coordinators' dashboards run the same number of queries with
ten times the data."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pilot.models import Cohort

from .factories import (
    CohortEnrollmentFactory,
    CohortFactory,
    CourseFactory,
    EnrollmentFactory,
    GoalFactory,
    MentoringSessionFactory,
    ObservationFactory,
    OfferingFactory,
    PairingFactory,
    ParaFactory,
    QuoteFactory,
    current_rubric,
)

pytestmark = pytest.mark.django_db

BUDGET = 30  # the largest page; each is also checked to be the same at 1x and 10x


@pytest.fixture
def cohort(world):
    current_rubric()
    cohort = CohortFactory(
        name="Pilot 2025", starts_on=date(2025, 8, 1), ends_on=date(2026, 6, 30), status="closed"
    )
    for district in (world.district_a, world.district_b):
        CohortEnrollmentFactory(cohort=cohort, district=district)
    return cohort


def add_pairings(world, cohort: Cohort, per_district: int) -> None:
    """Pairings in both districts with both forms, sessions in two months, a goal, a
    course passed or failed, and an approved quote."""
    course = CourseFactory(college=world.college)
    course.target_domains.create(domain="classroom_support")
    offering = OfferingFactory(course=course, cohort=cohort)
    for teacher in (world.teacher, world.teacher_b):
        for n in range(per_district):
            pairing = PairingFactory(
                cohort=cohort,
                teacher=teacher,
                paraprofessional=ParaFactory(school=teacher.school),
            )
            ObservationFactory(pairing=pairing, kind="baseline", scores=2, submitted=True)
            end = ObservationFactory(pairing=pairing, kind="end", scores=2 + n % 3, submitted=True)
            QuoteFactory(observation=end)
            for month in range(2):
                MentoringSessionFactory(
                    pairing=pairing, held_on=date(2025, 9, 15) + timedelta(days=31 * month)
                )
            GoalFactory(pairing=pairing, focus_area="engagement")
            EnrollmentFactory(
                para=pairing.paraprofessional, offering=offering, grade="B" if n % 2 else "F"
            )


def count(client, url: str, **query) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, query)
    assert response.status_code == 200, url
    return len(queries)


PAGES = [
    ("pc", "reports:index", {}),
    ("dc_own", "reports:index", {}),
    ("pc", "reports:index", {"district": "beta"}),
    ("pc", "reports:pilot", {}),
    ("pc", "reports:pilot-pdf", {}),
    ("pc", "pilot:dashboard", {}),
    ("dc_own", "pilot:dashboard", {}),
]


def test_same_queries_at_1x_and_10x(world, login, cohort):
    add_pairings(world, cohort, 2)
    first = {}
    for persona, name, query in PAGES:
        first[(persona, name, str(query))] = count(
            login(world.users[persona]), reverse(name), **query
        )
    add_pairings(world, cohort, 18)  # ten times the pairings, sessions, forms and courses
    for persona, name, query in PAGES:
        n = count(login(world.users[persona]), reverse(name), **query)
        assert n == first[(persona, name, str(query))], (persona, name, query)
        assert n <= BUDGET, (persona, name, n)


def test_csv_tables_keep_their_queries(world, login, cohort):
    client = login(world.users["pc"])
    add_pairings(world, cohort, 2)
    slugs = ["growth-and-coursework", "mentoring-by-month", "coursework-by-district"]
    first = {slug: count(client, reverse("reports:table-csv", args=[slug])) for slug in slugs}
    pilot_first = count(client, reverse("reports:pilot-table-csv", args=["districts"]))
    add_pairings(world, cohort, 18)
    assert {slug: count(client, reverse("reports:table-csv", args=[slug])) for slug in slugs} == (
        first
    )
    assert count(client, reverse("reports:pilot-table-csv", args=["districts"])) == pilot_first
