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


def refused(make) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_cohort_must_end_after_it_starts() -> None:
    refused(lambda: CohortFactory(starts_on=date(2027, 1, 1), ends_on=date(2026, 1, 1)))


def test_district_slug_is_unique() -> None:
    DistrictFactory(slug="same")
    refused(lambda: DistrictFactory(slug="same"))


def test_district_state_is_two_capitals() -> None:
    refused(lambda: District.objects.create(name="X", slug="x", state="ia"))


def test_district_enrolls_once_per_cohort() -> None:
    cohort, district = CohortFactory(), DistrictFactory()
    CohortEnrollment.objects.create(cohort=cohort, district=district, enrolled_on=date(2026, 8, 1))
    refused(
        lambda: CohortEnrollment.objects.create(
            cohort=cohort, district=district, enrolled_on=date(2026, 9, 1)
        )
    )


def test_staff_email_unique_across_the_program_ignoring_case() -> None:
    StaffFactory(email="pat@school.test")
    with pytest.raises(IntegrityError, match="staff_email_ci_unique"), transaction.atomic():
        StaffFactory(email="PAT@school.test")  # in another district, too


def test_staff_employee_id_unique_per_district() -> None:
    school = SchoolFactory()
    StaffFactory(school=school, employee_id="E1")
    refused(lambda: StaffFactory(school=school, employee_id="E1"))
    StaffFactory(school=school, employee_id="")
    StaffFactory(school=school, employee_id="")  # blank ids may repeat


def test_staff_role_is_teacher_or_paraprofessional() -> None:
    refused(lambda: StaffFactory(role="principal"))


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

    refused(make)


def test_role_scope_matches_role() -> None:
    user = UserFactory()
    refused(
        lambda: RoleAssignment.objects.create(
            user=user, role=RoleAssignment.Role.DISTRICT_COORDINATOR
        )
    )
    refused(
        lambda: RoleAssignment.objects.create(
            user=user,
            role=RoleAssignment.Role.PROGRAM_COORDINATOR,
            college=CollegeFactory(),
        )
    )
