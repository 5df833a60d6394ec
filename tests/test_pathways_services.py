"""Milestone rules: dates inside the person's path, credentials against their plan, the
teacher-of-record warning, and the constraints that back them."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from pathways import services
from pathways.models import Assessment, CohortStatus, Credential, EmploymentEvent
from tests.factories import (
    CohortFactory,
    CourseFactory,
    DegreePlanFactory,
    EnrollmentFactory,
    OfferingFactory,
    PairingFactory,
    ParaFactory,
    RequirementBlockFactory,
    SchoolFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

START = date(2025, 8, 1)


def refused(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


@pytest.fixture
def path():
    """A paraprofessional paired in a cohort that began on START."""
    cohort = CohortFactory(name="2025–2026", starts_on=START, ends_on=date(2026, 6, 30))
    pairing = PairingFactory(cohort=cohort)
    return pairing.paraprofessional, cohort, UserFactory()


def test_status_dated_before_the_first_cohort_or_in_the_future_is_refused(path) -> None:
    para, cohort, by = path
    early = refused(
        lambda: services.record_status(
            para=para, cohort=cohort, status="continuing", recorded_on=START - timedelta(1), by=by
        )
    )
    assert "first cohort began (2025–2026, Aug 1, 2025)" in early["recorded_on"][0]
    future = refused(
        lambda: services.record_status(
            para=para,
            cohort=cohort,
            status="continuing",
            recorded_on=timezone.localdate() + timedelta(1),
            by=by,
        )
    )
    assert future["recorded_on"] == ["The date is in the future."]
    assert not CohortStatus.objects.exists()


def test_withdrawal_needs_a_reason_and_a_cohort_they_were_paired_in(path) -> None:
    para, cohort, by = path
    problems = refused(
        lambda: services.record_status(
            para=para, cohort=cohort, status="withdrew", recorded_on=START, by=by
        )
    )
    assert problems["reason"] == ["Choose why they withdrew."]
    other = CohortFactory(name="Other", starts_on=date(2026, 8, 1), ends_on=date(2027, 6, 30))
    problems = refused(
        lambda: services.record_status(
            para=para, cohort=other, status="continuing", recorded_on=date(2026, 8, 2), by=by
        )
    )
    assert problems["cohort"] == [f"{para.full_name} was not paired in Other."]
    saved = services.record_status(
        para=para, cohort=cohort, status="withdrew", reason="family", recorded_on=START, by=by
    )
    assert saved.record.history.count() == 1


def test_a_person_in_no_cohort_has_no_milestones() -> None:
    para = ParaFactory()
    problems = refused(
        lambda: services.record_assessment(
            para=para,
            kind="paraprofessional",
            name="Praxis ParaPro",
            code="1755",
            taken_on=date(2026, 1, 5),
            passed=True,
            by=UserFactory(),
        )
    )
    assert problems["taken_on"] == [f"{para.full_name} has not taken part in any cohort yet."]


def _plan_with_one_course(para, cohort, grade: str):
    course = CourseFactory(credit_hours=Decimal("3"))
    offering = OfferingFactory(
        course=course, cohort=cohort, starts_on=START, ends_on=date(2025, 12, 12)
    )
    EnrollmentFactory(para=para, offering=offering, grade=grade)
    plan = DegreePlanFactory(college=course.college, name="Para Certificate", total_credits=3)
    RequirementBlockFactory(plan=plan, name="Core", credits_required=Decimal(3), courses=[course])
    return plan


def test_credential_for_a_plan_not_met_needs_the_liaisons_exception(path) -> None:
    para, cohort, by = path
    plan = _plan_with_one_course(para, cohort, grade="F")
    problems = refused(
        lambda: services.record_credential(
            para=para, plan=plan, awarded_on=date(2026, 5, 20), by=by
        )
    )
    assert "not all met (0 of 3 credits; not met: Core)" in problems["exception_reason"][0]
    assert not Credential.objects.exists()
    saved = services.record_credential(
        para=para,
        plan=plan,
        awarded_on=date(2026, 5, 20),
        by=by,
        exception_reason="Credit by examination",
    )
    assert saved.record.exception_reason == "Credit by examination"


def test_credential_for_a_plan_met_needs_no_reason(path) -> None:
    para, cohort, by = path
    plan = _plan_with_one_course(para, cohort, grade="B")
    saved = services.record_credential(
        para=para, plan=plan, awarded_on=date(2026, 5, 20), by=by, exception_reason="unused"
    )
    assert saved.record.exception_reason == ""


def _hire(para, by, on=date(2026, 8, 10)):
    return services.record_employment(
        para=para,
        kind="teacher_of_record",
        district=para.district,
        school=para.school,
        occurred_on=on,
        by=by,
    )


def test_teacher_of_record_before_a_credential_is_a_warning_where_the_district_says_so(
    path,
) -> None:
    para, cohort, by = path
    services.set_district_rule(district=para.district, credential_before_teaching=True, by=by)
    saved = _hire(para, by)
    assert EmploymentEvent.objects.get() == saved.record
    assert saved.warnings == [
        f"No credential is recorded for {para.full_name} on or before Aug 10, 2026, and "
        f"{para.district.name} requires a teaching credential before teacher of record: "
        "check the credential, or the date."
    ]


def test_no_credential_warning_where_the_district_does_not_require_one(path) -> None:
    para, cohort, by = path
    assert _hire(para, by).warnings == []  # no rule: not required
    services.set_district_rule(district=para.district, credential_before_teaching=False, by=by)
    other = PairingFactory(cohort=cohort, teacher__school=para.school).paraprofessional
    assert _hire(other, by).warnings == []


def test_a_credential_by_the_date_silences_the_warning(path) -> None:
    para, cohort, by = path
    services.set_district_rule(district=para.district, credential_before_teaching=True, by=by)
    plan = DegreePlanFactory()
    services.record_credential(
        para=para, plan=plan, awarded_on=date(2026, 6, 1), by=by, exception_reason="Transfer."
    )
    assert _hire(para, by).warnings == []


def test_teacher_of_record_at_another_districts_school_is_refused(path) -> None:
    para, cohort, by = path
    elsewhere = SchoolFactory()
    problems = refused(
        lambda: services.record_employment(
            para=para,
            kind="teacher_of_record",
            district=para.district,
            school=elsewhere,
            occurred_on=date(2026, 8, 10),
            by=by,
        )
    )
    assert problems["school"] == [f"{elsewhere.name} is not a school of {para.district.name}."]


def test_yearly_check_needs_a_hire_first(path) -> None:
    para, cohort, by = path
    problems = refused(
        lambda: services.record_employment(
            para=para,
            kind="yearly_check",
            district=para.district,
            occurred_on=date(2026, 6, 1),
            still_teaching=True,
            check_year=2026,
            by=by,
        )
    )
    assert "before a yearly check" in problems["kind"][0]


def test_assessment_by_the_person_waits_for_a_coordinator(path) -> None:
    para, cohort, by = path
    saved = services.record_assessment(
        para=para,
        kind="licensure",
        name="Praxis Elementary Education",
        code="5001",
        taken_on=date(2026, 3, 1),
        passed=False,
        by=by,
    )
    assert saved.record.verified_by is None
    coordinator = UserFactory()
    services.verify_assessment(assessment=saved.record, by=coordinator)
    saved.record.refresh_from_db()
    assert saved.record.verified_by == coordinator
    assert saved.record.history.count() == 2


def _refused_by(name: str, **fields) -> None:
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        EmploymentEvent.objects.create(**fields)
    assert name in str(error.value)


def test_constraints_name_the_rule(path) -> None:
    para, cohort, by = path
    base = {"para": para, "district": para.district, "occurred_on": START, "recorded_by": by}
    _refused_by("teacher_of_record_has_school", kind="teacher_of_record", **base)
    _refused_by("yearly_check_fields", kind="yearly_check", still_teaching=True, **base)
    _refused_by("yearly_check_fields", kind="left_district", check_year=2026, **base)
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        CohortStatus.objects.create(
            para=para, cohort=cohort, status="withdrew", recorded_on=START, recorded_by=by
        )
    assert "withdrawal_has_reason" in str(error.value)
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        Assessment.objects.create(
            para=para,
            kind="licensure",
            name="Praxis",
            taken_on=START,
            passed=True,
            entered_by=by,
            verified_by=by,
        )
    assert "assessment_verified_together" in str(error.value)
