"""Coursework pages make the same number of queries at 5 and at 200 enrollments."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from coursework.models import Enrollment, ModuleCompletion, PlanDeclaration
from tests.factories import (
    CourseFactory,
    DegreePlanFactory,
    ModuleFactory,
    OfferingFactory,
    ParaFactory,
    RequirementBlockFactory,
    TransferCreditFactory,
)

pytestmark = pytest.mark.django_db

GRADES = ["A", "B", "C", "D", "F", "P", "W", "I", ""]


def para_with_enrollments(world, n: int):
    """world.para in n offerings (of n courses), graded across the scale, with modules and
    completions on the open ones, transfer credit and a declared plan listing every course."""
    plan = DegreePlanFactory(college=world.college, total_credits=Decimal(60))
    courses = [CourseFactory(college=world.college) for _ in range(n)]
    RequirementBlockFactory(plan=plan, credits_required=Decimal(30), courses=courses[: n // 2])
    RequirementBlockFactory(plan=plan, credits_required=Decimal(30), is_open=True)
    PlanDeclaration.objects.create(para=world.para, plan=plan, declared_on=date(2026, 8, 1))
    DegreePlanFactory(college=world.college)  # another plan for "what if"
    enrollments = []
    for i, course in enumerate(courses):
        offering = OfferingFactory(course=course, cohort=world.cohort)
        grade = GRADES[i % len(GRADES)]
        status = Enrollment.status_for(grade)
        enrollments.append(
            Enrollment(
                para=world.para,
                offering=offering,
                grade=grade,
                status=status,
                completed_on=offering.ends_on if status == "completed" else None,
            )
        )
    Enrollment.objects.bulk_create(enrollments)
    for e in enrollments:
        if e.status == "enrolled":
            m = ModuleFactory(offering=e.offering, order=1)
            ModuleFactory(offering=e.offering, order=2)
            ModuleCompletion.objects.create(enrollment=e, module=m, completed_on=date(2026, 9, 1))
    for _ in range(3):
        TransferCreditFactory(para=world.para, college=world.college)
    return plan


def roster_of(world, n: int):
    offering = OfferingFactory(course=CourseFactory(college=world.college), cohort=world.cohort)
    paras = ParaFactory.create_batch(n, school=world.school_a)
    Enrollment.objects.bulk_create(Enrollment(para=p, offering=offering) for p in paras)
    module = ModuleFactory(offering=offering, order=1)
    ModuleCompletion.objects.bulk_create(
        ModuleCompletion(
            enrollment=e, module=module, offering=offering, completed_on=date(2026, 9, 1)
        )
        for e in offering.enrollments.all()
    )
    return offering


PROGRESS_BUDGET = 13
ROSTER_BUDGET = 6


@pytest.mark.parametrize("n", [5, 200])
def test_progress_page_queries(world, login, django_assert_max_num_queries, n):
    para_with_enrollments(world, n)
    client = login(world.users["para"])
    with django_assert_max_num_queries(PROGRESS_BUDGET):
        response = client.get(reverse("coursework:progress"))
    assert response.status_code == 200
    assert response.content.decode().count("<progress") > 2


@pytest.mark.parametrize("n", [5, 200])
def test_progress_page_for_a_coordinator_queries(world, login, django_assert_max_num_queries, n):
    para_with_enrollments(world, n)
    client = login(world.users["dc_own"])
    with django_assert_max_num_queries(PROGRESS_BUDGET):
        response = client.get(reverse("coursework:progress-for", args=[world.para.uuid]))
    assert response.status_code == 200


@pytest.mark.parametrize("n", [5, 200])
def test_roster_page_queries(world, login, django_assert_max_num_queries, n):
    offering = roster_of(world, n)
    client = login(world.users["liaison"])
    with django_assert_max_num_queries(ROSTER_BUDGET):
        response = client.get(reverse("coursework:offering-grades", args=[offering.uuid]))
    assert response.status_code == 200
    assert response.content.decode().count('class="form-control grade-input') == n


@pytest.mark.parametrize("n", [5, 200])
def test_transcript_and_learner_list_queries(world, login, django_assert_max_num_queries, n):
    para_with_enrollments(world, n)
    client = login(world.users["pc"])
    with django_assert_max_num_queries(8):
        assert (
            client.get(reverse("coursework:transcript", args=[world.para.uuid])).status_code == 200
        )
    with django_assert_max_num_queries(10):  # two work out the credits earned on the page
        assert client.get(reverse("coursework:learner-list")).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("coursework:report")).status_code == 200
