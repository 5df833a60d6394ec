"""The coursework write path: each service's own rules, checked without a form."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from coursework import services
from coursework.models import Course, DegreePlan, Enrollment, Module, PlanDeclaration
from pilot.questions import PilotQuestion
from tests.factories import (
    CourseFactory,
    DegreePlanFactory,
    EnrollmentFactory,
    ModuleFactory,
    OfferingFactory,
    ParaFactory,
    TeacherFactory,
    TransferCreditFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def refused(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


def block(name: str, credits: str, courses=(), **extra) -> dict:
    return {
        "instance": None,
        "delete": False,
        "name": name,
        "credits_required": Decimal(credits),
        "order": 1,
        "is_open": False,
        "courses": list(courses),
        **extra,
    }


def test_save_plan_refuses_blocks_that_do_not_add_up_to_the_total():
    college = CourseFactory().college
    plan = DegreePlan(college=college, name="Certificate", kind="certificate", total_credits=12)
    errors = refused(lambda: services.save_plan(plan=plan, blocks=[block("Core", "6")]))
    assert errors == {
        "total_credits": ["The requirement blocks add up to 6 credits: make the total match."]
    }
    assert not DegreePlan.objects.exists()


def test_save_plan_counts_only_blocks_kept_and_courses_of_its_college():
    course = CourseFactory()
    plan = DegreePlan(
        college=course.college, name="Certificate", kind="certificate", total_credits=6
    )
    blocks = [block("Core", "6", [course]), block("Old", "3", delete=True)]
    services.save_plan(plan=plan, blocks=blocks)
    assert [(b.name, list(b.courses.all())) for b in plan.blocks.all()] == [("Core", [course])]
    foreign = CourseFactory()
    other = DegreePlan(college=course.college, name="Other", kind="certificate", total_credits=6)
    errors = refused(lambda: services.save_plan(plan=other, blocks=[block("B", "6", [foreign])]))
    assert errors == {"college": [f"{foreign} is a course of another college."]}


def test_save_plan_refuses_blocks_sharing_a_name_or_a_course_each_on_its_block():
    a, b = CourseFactory(code="EDU 110"), CourseFactory(code="EDU 120")
    plan = DegreePlan(college=a.college, name="AA", kind="associate", total_credits=9)
    blocks = [
        block("Core", "3", [a, b]),
        block("Gone", "3", [a], delete=True),  # a deleted block counts for neither rule
        block("core ", "3", [a]),
        block("Electives", "3", [b]),
    ]
    assert refused(lambda: services.save_plan(plan=plan, blocks=blocks)) == {
        services.block_key(2, "name"): ["Two blocks of a plan cannot share a name."],
        services.block_key(2, "courses"): [
            "EDU 110 already counts toward “Core”: a course counts toward a plan once."
        ],
        services.block_key(3, "courses"): [
            "EDU 120 already counts toward “Core”: a course counts toward a plan once."
        ],
    }
    assert not DegreePlan.objects.exists()


def test_save_plan_refuses_a_plan_without_a_block_kept():
    plan = DegreePlanFactory(total_credits=3)
    gone = block("Core", "3", delete=True)
    assert refused(lambda: services.save_plan(plan=plan, blocks=[gone])) == {
        services.ALL_BLOCKS: ["A plan needs at least one requirement block."]
    }
    assert refused(lambda: services.save_plan(plan=plan, blocks=[])) == {
        services.ALL_BLOCKS: ["A plan needs at least one requirement block."]
    }


def test_save_course_refuses_a_code_its_college_has_in_any_case_and_sets_domains():
    course = CourseFactory(code="EDU 110")
    twin = Course(
        college=course.college, code="edu 110", title="Again", credit_hours=3, delivery="online"
    )
    errors = refused(lambda: services.save_course(course=twin, domains=[]))
    assert errors == {"code": ["This college already has a course with that code."]}
    new = Course(
        college=course.college, code="EDU 120", title="New", credit_hours=3, delivery="online"
    )
    domain = PilotQuestion.values[0]
    services.save_course(course=new, domains=[domain])
    assert list(new.target_domains.values_list("domain", flat=True)) == [domain]
    services.save_course(course=new, domains=[])
    assert not new.target_domains.exists()


def test_save_offering_refuses_reversed_dates_and_a_second_section():
    offering = OfferingFactory()
    reversed_dates = OfferingFactory.build(
        course=offering.course,
        cohort=offering.cohort,
        section="02",
        starts_on=offering.starts_on,
        ends_on=offering.starts_on - timedelta(days=1),
    )
    assert refused(lambda: services.save_offering(offering=reversed_dates)) == {
        "ends_on": ["The end date cannot be before the start date."]
    }
    twin = OfferingFactory.build(
        course=offering.course,
        cohort=offering.cohort,
        term=offering.term,
        section=offering.section,
        starts_on=offering.starts_on,
        ends_on=offering.ends_on,
    )
    assert refused(lambda: services.save_offering(offering=twin)) == {
        "section": ["This section of the course is already offered then."]
    }


def test_save_offering_refuses_dates_outside_its_cohort():
    offering = OfferingFactory()  # cohort Aug 1, 2026 – Jun 30, 2027
    early = OfferingFactory.build(
        course=offering.course,
        cohort=offering.cohort,
        section="02",
        starts_on=date(2026, 7, 6),
        ends_on=date(2027, 7, 31),
    )
    span = "Aug 1, 2026 – Jun 30, 2027"
    assert refused(lambda: services.save_offering(offering=early)) == {
        "starts_on": [f"Start within the cohort ({span})."],
        "ends_on": [f"End within the cohort ({span})."],
    }
    early.starts_on, early.ends_on = date(2026, 8, 1), date(2027, 6, 30)
    services.save_offering(offering=early)  # the cohort's own first and last days are inside


def test_save_module_refuses_a_taken_position_and_a_date_outside_the_offering():
    module = ModuleFactory()
    offering = module.offering
    clash = Module(offering=offering, title="Two", mode="online", order=module.order)
    assert refused(lambda: services.save_module(module=clash)) == {
        "order": ["Another module of this offering has that position."]
    }
    late = Module(
        offering=offering,
        title="Late",
        mode="online",
        order=module.order + 1,
        due_on=offering.ends_on + timedelta(days=1),
    )
    assert list(refused(lambda: services.save_module(module=late))) == ["due_on"]


def test_enroll_refuses_anyone_but_paraprofessionals_and_skips_those_enrolled():
    enrollment = EnrollmentFactory()
    offering = enrollment.offering
    assert refused(lambda: services.enroll(offering=offering, paras=[TeacherFactory()])) == {
        "paras": ["Only paraprofessionals enroll in courses."]
    }
    para = ParaFactory()
    created = services.enroll(offering=offering, paras=[enrollment.para, para])
    assert [e.para for e in created] == [para]
    assert Enrollment.objects.filter(offering=offering).count() == 2


def test_apply_grade_holds_the_completed_date_rules_and_sets_the_status():
    offering = OfferingFactory(starts_on=date(2026, 8, 24), ends_on=date(2026, 11, 20))
    enrollment = EnrollmentFactory(offering=offering)
    tomorrow = timezone.localdate() + timedelta(days=1)

    def grade(letter: str, on: date | None) -> None:
        services.apply_grade(
            enrollment=enrollment, grade=letter, completed_on=on, default=offering.ends_on
        )

    assert refused(lambda: grade("W", date(2026, 11, 1))) == {
        "completed_on": [services.FINAL_ONLY_DATED]
    }
    assert refused(lambda: grade("A", tomorrow)) == {
        "completed_on": [f"{date_format(tomorrow)} is in the future."]
    }
    assert refused(lambda: grade("A", date(2026, 8, 1))) == {
        "completed_on": ["Aug 1, 2026 is before the offering started (Aug 24, 2026)."]
    }
    assert (enrollment.grade, enrollment.status) == ("", Enrollment.Status.ENROLLED)
    grade("A", None)
    assert (enrollment.status, enrollment.completed_on) == ("completed", offering.ends_on)
    # A date already recorded is not checked again, even when it breaks today's rules.
    enrollment.completed_on = date(2026, 8, 1)
    grade("B", date(2026, 8, 1))
    assert (enrollment.grade, enrollment.completed_on) == ("B", date(2026, 8, 1))
    grade("W", None)
    assert (enrollment.status, enrollment.completed_on) == ("withdrawn", None)


def test_module_done_only_for_a_module_of_the_enrollments_offering():
    enrollment = EnrollmentFactory()
    own = ModuleFactory(offering=enrollment.offering)
    services.set_module_done(enrollment=enrollment, module=own, done=True)
    assert own.completions.count() == 1
    services.set_module_done(enrollment=enrollment, module=own, done=False)
    assert own.completions.count() == 0
    other = ModuleFactory()
    assert list(
        refused(lambda: services.set_module_done(enrollment=enrollment, module=other, done=True))
    ) == ["module"]


def test_transfer_credit_is_for_courses_already_completed_and_is_verified_once():
    credit = TransferCreditFactory.build(
        para=ParaFactory(), completed_on=timezone.localdate() + timedelta(days=1)
    )
    credit.college.save()
    assert refused(lambda: services.submit_transfer_credit(credit=credit)) == {
        "completed_on": ["Transfer credit is for courses already completed."]
    }
    credit = TransferCreditFactory()
    services.verify_transfer_credit(credit=credit, by=UserFactory(), equivalent_course=None)
    credit.refresh_from_db()
    assert credit.is_verified


def test_declare_plan_replaces_the_earlier_declaration():
    para = ParaFactory()
    first, second = DegreePlanFactory(), DegreePlanFactory()
    services.declare_plan(para=para, plan=first)
    services.declare_plan(para=para, plan=second)
    assert list(PlanDeclaration.objects.filter(para=para).values_list("plan", flat=True)) == [
        second.pk
    ]
