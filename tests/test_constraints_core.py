"""The database itself refuses bad core rows, whatever the forms do."""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from pilot.models import CohortEnrollment, District, RoleAssignment, Staff

from .factories import (
    CohortFactory,
    CollegeFactory,
    DistrictFactory,
    SchoolFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def refused(make, constraint: str) -> None:
    """``make`` is refused by the database constraint named ``constraint``, not another."""
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        make()


def test_cohort_must_end_after_it_starts() -> None:
    refused(
        lambda: CohortFactory(starts_on=date(2027, 1, 1), ends_on=date(2026, 1, 1)),
        "cohort_dates_ordered",
    )


def test_district_slug_is_unique() -> None:
    DistrictFactory(slug="same")
    refused(lambda: DistrictFactory(slug="same"), "pilot_district_slug_key")


def test_district_state_is_two_capitals() -> None:
    refused(lambda: District.objects.create(name="X", slug="x", state="ia"), "district_state")


def test_district_enrolls_once_per_cohort() -> None:
    cohort, district = CohortFactory(), DistrictFactory()
    CohortEnrollment.objects.create(cohort=cohort, district=district, enrolled_on=date(2026, 8, 1))
    refused(
        lambda: CohortEnrollment.objects.create(
            cohort=cohort, district=district, enrolled_on=date(2026, 9, 1)
        ),
        "one_enrollment_per_cohort",
    )


def test_staff_email_unique_across_the_program_ignoring_case() -> None:
    StaffFactory(email="pat@school.test")
    with pytest.raises(IntegrityError, match="staff_email_ci_unique"), transaction.atomic():
        StaffFactory(email="PAT@school.test")  # in another district, too


def test_staff_employee_id_unique_per_district() -> None:
    school = SchoolFactory()
    StaffFactory(school=school, employee_id="E1")
    refused(lambda: StaffFactory(school=school, employee_id="E1"), "staff_employee_id_per_district")
    StaffFactory(school=school, employee_id="")
    StaffFactory(school=school, employee_id="")  # blank ids may repeat


def test_staff_role_is_teacher_or_paraprofessional() -> None:
    refused(lambda: StaffFactory(role="principal"), "staff_role_valid")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="composite key is PostgreSQL-only")
def test_staff_school_must_be_in_staff_district() -> None:
    other_district = DistrictFactory()

    def make() -> None:
        Staff.objects.create(
            district=other_district,
            school=SchoolFactory(),
            role=Staff.Role.TEACHER,
            first_name="A",
            last_name="B",
            email="ab@school.test",
        )
        connection.check_constraints()  # the key is deferred to commit; check it now

    refused(make, "staff_school_in_district")


def test_role_scope_matches_role() -> None:
    user = UserFactory()
    refused(
        lambda: RoleAssignment.objects.create(
            user=user, role=RoleAssignment.Role.DISTRICT_COORDINATOR
        ),
        "role_scope_matches_role",
    )
    refused(
        lambda: RoleAssignment.objects.create(
            user=user,
            role=RoleAssignment.Role.PROGRAM_COORDINATOR,
            college=CollegeFactory(),
        ),
        "role_scope_matches_role",
    )


def test_district_nces_id_unique_when_given() -> None:
    DistrictFactory(nces_id="1900001")
    refused(lambda: DistrictFactory(nces_id="1900001"), "district_nces_id_unique")
    DistrictFactory(nces_id="")
    DistrictFactory(nces_id="")  # blank ids may repeat


def test_school_name_unique_per_district() -> None:
    school = SchoolFactory(name="Lincoln")
    refused(
        lambda: SchoolFactory(district=school.district, name="Lincoln"), "school_name_per_district"
    )


def test_withdrawal_not_before_enrollment() -> None:
    refused(
        lambda: CohortEnrollment.objects.create(
            cohort=CohortFactory(),
            district=DistrictFactory(),
            enrolled_on=date(2026, 9, 1),
            withdrawn_on=date(2026, 8, 1),
        ),
        "withdrawal_after_enrollment",
    )


def test_one_program_coordinator_role_per_user() -> None:
    user = UserFactory()
    RoleAssignment.objects.create(user=user, role=RoleAssignment.Role.PROGRAM_COORDINATOR)
    refused(
        lambda: RoleAssignment.objects.create(
            user=user, role=RoleAssignment.Role.PROGRAM_COORDINATOR
        ),
        "one_program_coordinator_role",
    )
