"""Coursework pages that show typed text: course and module titles, degree plans, transfer
credit, the paraprofessional's name, on screen, in the transcript CSV and in its PDF."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from ..factories import (
    CourseFactory,
    DegreePlanFactory,
    EnrollmentFactory,
    ModuleFactory,
    OfferingFactory,
    RequirementBlockFactory,
    TransferCreditFactory,
)
from . import Page, hostile
from .pilot_pages import COLLEGE, DISTRICT, PARA_FIRST, SCHOOL

COURSE = hostile("Reading Intervention")
DONE_COURSE = hostile("Foundations of Education")
MODULE = hostile("Small groups")
PLAN = hostile("Paraeducator Certificate")
BLOCK = hostile("Core")
# A title a spreadsheet would run as a formula: the CSV must neutralise it.
TRANSFER = hostile('=SUM(1,2)+"Statistics"')
INSTITUTION = hostile("State University")


def offering(w):
    return w.once("cw_offering", _offering)


def _offering(w):
    course = CourseFactory(college=w.college, code="EDU 150", title=COURSE)
    current = OfferingFactory(
        course=course, cohort=w.cohort, starts_on=date(2026, 8, 24), ends_on=date(2027, 5, 1)
    )
    ModuleFactory(offering=current, order=1, title=MODULE)
    EnrollmentFactory(para=w.para, offering=current)
    done = OfferingFactory(
        course=CourseFactory(college=w.college, code="EDU 101", title=DONE_COURSE),
        cohort=w.cohort,
        starts_on=date(2026, 1, 5),
        ends_on=date(2026, 5, 1),
    )
    EnrollmentFactory(para=w.para, offering=done, grade="A")
    plan = DegreePlanFactory(college=w.college, name=PLAN, total_credits=Decimal(12))
    RequirementBlockFactory(
        plan=plan, name=BLOCK, credits_required=Decimal(12), courses=[course, done.course]
    )
    plan.declarations.create(para=w.para, declared_on=date(2026, 8, 1))
    w.cache["cw_plan"] = plan
    verified = TransferCreditFactory(
        para=w.para, college=w.college, course_title=TRANSFER, institution=INSTITUTION
    )
    verified.verified_at, verified.verified_by = "2026-09-01T12:00Z", w.users["liaison"]
    verified.save()  # a change in the coordinator's history table too
    TransferCreditFactory(para=w.para, college=w.college, course_title=TRANSFER)
    return current


def make_hostile(w) -> None:
    offering(w)


def _para(w):
    return w.para.uuid


COURSE_TEXT = [COURSE, DONE_COURSE, TRANSFER, INSTITUTION]

PAGES = {
    "course catalog": Page(
        lambda w: offering(w) and reverse("coursework:course-list"),
        [COURSE, DONE_COURSE, COLLEGE, PLAN],
        persona="para",
    ),
    "course page": Page(
        lambda w: reverse("coursework:course-detail", args=[offering(w).course.uuid]),
        [COURSE, COLLEGE, PLAN],
        persona="para",
    ),
    "degree plan page": Page(
        lambda w: offering(w) and reverse("coursework:plan-detail", args=[w.cache["cw_plan"].uuid]),
        [PLAN, BLOCK, COURSE],
        persona="para",
    ),
    "progress as paraprofessional": Page(
        lambda w: offering(w) and reverse("coursework:progress"),
        [PARA_FIRST, SCHOOL, DISTRICT, PLAN, BLOCK, MODULE, *COURSE_TEXT],
        persona="para",
    ),
    "progress with history as program coordinator": Page(
        lambda w: offering(w) and reverse("coursework:progress-for", args=[_para(w)]),
        [PARA_FIRST, PLAN, MODULE, *COURSE_TEXT],
    ),
    "offering page": Page(
        lambda w: reverse("coursework:offering-detail", args=[offering(w).uuid]),
        [COURSE, MODULE, PARA_FIRST, SCHOOL],
        persona="liaison",
    ),
    "dropping an enrollment": Page(
        lambda w: reverse(
            "coursework:enrollment-drop",
            args=[offering(w).enrollments.get(para=w.para).uuid],
        ),
        [PARA_FIRST, COURSE],
        persona="liaison",
    ),
    "roster and grades": Page(
        lambda w: reverse("coursework:offering-grades", args=[offering(w).uuid]),
        [PARA_FIRST, SCHOOL, DISTRICT],
        persona="liaison",
    ),
    "transfer credit to verify": Page(
        lambda w: offering(w) and reverse("coursework:transfer-list"),
        [PARA_FIRST, DISTRICT, TRANSFER, INSTITUTION],
        persona="liaison",
    ),
    "students of the college": Page(
        lambda w: offering(w) and reverse("coursework:learner-list"),
        [PARA_FIRST, SCHOOL],
        persona="liaison",
    ),
    "transcript page": Page(
        lambda w: offering(w) and reverse("coursework:transcript", args=[_para(w)]),
        [PARA_FIRST, SCHOOL, DISTRICT, COLLEGE, *COURSE_TEXT],
    ),
    "transcript CSV": Page(
        lambda w: offering(w) and reverse("coursework:transcript-csv", args=[_para(w)]),
        [COLLEGE, *COURSE_TEXT],
        kind="csv",
    ),
    "transcript PDF": Page(
        lambda w: offering(w) and reverse("coursework:transcript-pdf", args=[_para(w)]),
        [PARA_FIRST, SCHOOL, DISTRICT, COLLEGE, *COURSE_TEXT],
        kind="pdf",
    ),
}
