"""Rules the database keeps for coursework, checked by writing rows directly."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from coursework.models import BlockCourse, Course, Enrollment, ModuleCompletion
from tests.factories import (
    CourseFactory,
    DegreePlanFactory,
    EnrollmentFactory,
    ModuleFactory,
    OfferingFactory,
    ParaFactory,
    RequirementBlockFactory,
    TeacherFactory,
    TransferCreditFactory,
)

pytestmark = pytest.mark.django_db


# The role trigger (migration 0002) refuses with its own message rather than a name.
PARA_ONLY = "only paraprofessionals take courses"


def rejected(constraint: str, make) -> None:
    """``make`` is refused by ``constraint`` (its name), not by some other rule."""
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        make()


@pytest.mark.parametrize("hours", ["0", "-3"])
def test_credit_hours_are_positive(hours):
    course = CourseFactory()
    rejected(
        "course_credit_positive",
        lambda: Course.objects.filter(pk=course.pk).update(credit_hours=Decimal(hours)),
    )
    rejected("transfer_credit_positive", lambda: TransferCreditFactory(credit_hours=Decimal(hours)))


def test_grade_on_the_scale_or_empty():
    enrollment = EnrollmentFactory(grade="B")
    rejected(
        "enrollment_grade_on_scale",
        lambda: Enrollment.objects.filter(pk=enrollment.pk).update(grade="E"),
    )
    rejected(
        "enrollment_grade_on_scale",
        lambda: Enrollment.objects.filter(pk=enrollment.pk).update(grade="b"),
    )


@pytest.mark.parametrize(
    ("status", "grade", "completed_on"),
    [
        ("completed", "", date(2026, 12, 11)),  # completed needs a final grade
        ("completed", "A", None),  # and a date
        ("completed", "W", date(2026, 12, 11)),
        ("enrolled", "B", None),  # open enrollments have no grade
        ("withdrawn", "F", None),
        ("incomplete", "", None),
    ],
)
def test_status_agrees_with_grade(status, grade, completed_on):
    rejected(
        "enrollment_status_matches_grade",
        lambda: EnrollmentFactory(status=status, grade=grade, completed_on=completed_on),
    )


def test_one_enrollment_per_paraprofessional_per_offering():
    enrollment = EnrollmentFactory()
    rejected(
        "enrollment_once_per_para",
        lambda: EnrollmentFactory(para=enrollment.para, offering=enrollment.offering),
    )


def test_only_paraprofessionals_enroll_or_bring_transfer_credit():
    teacher = TeacherFactory()
    rejected(PARA_ONLY, lambda: EnrollmentFactory(para=teacher))
    rejected(PARA_ONLY, lambda: TransferCreditFactory(para=teacher))


def test_a_course_counts_toward_a_plan_once():
    course = CourseFactory()
    plan = DegreePlanFactory(college=course.college)
    RequirementBlockFactory(plan=plan, courses=[course])
    other_block = RequirementBlockFactory(plan=plan)
    rejected(
        "course_counts_once_per_plan",
        lambda: BlockCourse.objects.create(block=other_block, plan=plan, course=course),
    )
    # The same course may count toward another plan.
    RequirementBlockFactory(plan=DegreePlanFactory(college=course.college), courses=[course])


def test_block_course_row_names_its_blocks_own_plan():
    course = CourseFactory()
    block = RequirementBlockFactory()
    other_plan = DegreePlanFactory()
    rejected(
        "blockcourse_block_plan",
        lambda: BlockCourse.objects.create(block=block, plan=other_plan, course=course),
    )


def test_module_completion_hangs_on_an_enrollment_in_the_modules_offering():
    enrollment = EnrollmentFactory()
    own_module = ModuleFactory(offering=enrollment.offering)
    ModuleCompletion.objects.create(
        enrollment=enrollment, module=own_module, completed_on=date(2026, 9, 1)
    )
    rejected(
        "module_completed_once",
        lambda: ModuleCompletion.objects.create(
            enrollment=enrollment, module=own_module, completed_on=date(2026, 9, 2)
        ),
    )
    foreign_module = ModuleFactory(offering=OfferingFactory())
    rejected(
        "completion_module_offering",
        lambda: ModuleCompletion.objects.create(
            enrollment=enrollment,
            module=foreign_module,
            offering=enrollment.offering,
            completed_on=date(2026, 9, 1),
        ),
    )
    rejected(
        "completion_enrollment_offering",
        lambda: ModuleCompletion.objects.create(
            enrollment=enrollment,
            module=foreign_module,
            offering=foreign_module.offering,
            completed_on=date(2026, 9, 1),
        ),
    )


def test_offering_dates_ordered():
    rejected(
        "offering_dates_ordered",
        lambda: OfferingFactory(starts_on=date(2026, 9, 1), ends_on=date(2026, 8, 1)),
    )


def test_enrollment_keeps_its_history():
    enrollment = EnrollmentFactory(para=ParaFactory())
    enrollment.grade, enrollment.status = "A", "completed"
    enrollment.completed_on = enrollment.offering.ends_on
    enrollment.save()
    assert [h.grade for h in enrollment.history.order_by("history_date")] == ["", "A"]
