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


def rejected(make) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


@pytest.mark.parametrize("hours", ["0", "-3"])
def test_credit_hours_are_positive(hours):
    course = CourseFactory()
    rejected(lambda: Course.objects.filter(pk=course.pk).update(credit_hours=Decimal(hours)))
    rejected(lambda: TransferCreditFactory(credit_hours=Decimal(hours)))


def test_grade_on_the_scale_or_empty():
    enrollment = EnrollmentFactory(grade="B")
    rejected(lambda: Enrollment.objects.filter(pk=enrollment.pk).update(grade="E"))
    rejected(lambda: Enrollment.objects.filter(pk=enrollment.pk).update(grade="b"))


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
    rejected(lambda: EnrollmentFactory(status=status, grade=grade, completed_on=completed_on))


def test_one_enrollment_per_paraprofessional_per_offering():
    enrollment = EnrollmentFactory()
    rejected(lambda: EnrollmentFactory(para=enrollment.para, offering=enrollment.offering))


def test_only_paraprofessionals_enroll_or_bring_transfer_credit():
    teacher = TeacherFactory()
    rejected(lambda: EnrollmentFactory(para=teacher))
    rejected(lambda: TransferCreditFactory(para=teacher))


def test_a_course_counts_toward_a_plan_once():
    course = CourseFactory()
    plan = DegreePlanFactory(college=course.college)
    RequirementBlockFactory(plan=plan, courses=[course])
    other_block = RequirementBlockFactory(plan=plan)
    rejected(lambda: BlockCourse.objects.create(block=other_block, plan=plan, course=course))
    # The same course may count toward another plan.
    RequirementBlockFactory(plan=DegreePlanFactory(college=course.college), courses=[course])


def test_block_course_row_names_its_blocks_own_plan():
    course = CourseFactory()
    block = RequirementBlockFactory()
    other_plan = DegreePlanFactory()
    rejected(lambda: BlockCourse.objects.create(block=block, plan=other_plan, course=course))


def test_module_completion_hangs_on_an_enrollment_in_the_modules_offering():
    enrollment = EnrollmentFactory()
    own_module = ModuleFactory(offering=enrollment.offering)
    ModuleCompletion.objects.create(
        enrollment=enrollment, module=own_module, completed_on=date(2026, 9, 1)
    )
    rejected(
        lambda: ModuleCompletion.objects.create(
            enrollment=enrollment, module=own_module, completed_on=date(2026, 9, 2)
        )
    )
    foreign_module = ModuleFactory(offering=OfferingFactory())
    rejected(
        lambda: ModuleCompletion.objects.create(
            enrollment=enrollment,
            module=foreign_module,
            offering=enrollment.offering,
            completed_on=date(2026, 9, 1),
        )
    )
    rejected(
        lambda: ModuleCompletion.objects.create(
            enrollment=enrollment,
            module=foreign_module,
            offering=foreign_module.offering,
            completed_on=date(2026, 9, 1),
        )
    )


def test_offering_dates_ordered():
    rejected(lambda: OfferingFactory(starts_on=date(2026, 9, 1), ends_on=date(2026, 8, 1)))


def test_enrollment_keeps_its_history():
    enrollment = EnrollmentFactory(para=ParaFactory())
    enrollment.grade, enrollment.status = "A", "completed"
    enrollment.completed_on = enrollment.offering.ends_on
    enrollment.save()
    assert [h.grade for h in enrollment.history.order_by("history_date")] == ["", "A"]
