"""A small program with one user per persona, shared by the access tests.

Persona names: anon, pc (program coordinator), dc_own (coordinator of district A, where
the records live), dc_other (coordinator of district B), liaison, teacher and para (a
pair in district A; more records attach to them as the apps grow).
"""

from dataclasses import dataclass, field
from typing import Any

from pilot.models import RoleAssignment, User

from .factories import (
    CohortEnrollmentFactory,
    CohortFactory,
    CollegeFactory,
    DistrictFactory,
    ParaFactory,
    RoleAssignmentFactory,
    SchoolFactory,
    TeacherFactory,
    UserFactory,
)

PERSONAS = ("anon", "pc", "dc_own", "dc_other", "liaison", "teacher", "para")


@dataclass
class World:
    cohort: Any
    district_a: Any
    district_b: Any
    school_a: Any
    school_b: Any
    college: Any
    enrollment_a: Any
    teacher: Any  # Staff in district A
    para: Any  # Staff in district A
    teacher_b: Any  # Staff in district B
    para_b: Any
    users: dict[str, User | None]
    cache: dict[str, Any] = field(default_factory=dict)

    def once(self, key: str, make: Any) -> Any:
        """Build an extra record the first time a row needs it."""
        if key not in self.cache:
            self.cache[key] = make(self)
        return self.cache[key]


def build_world() -> World:
    cohort = CohortFactory(name="2026–2027 Pilot")
    district_a = DistrictFactory(name="Alpha District", slug="alpha")
    district_b = DistrictFactory(name="Beta District", slug="beta")
    school_a = SchoolFactory(district=district_a, name="Alpha Elementary")
    school_b = SchoolFactory(district=district_b, name="Beta Elementary")
    college = CollegeFactory(name="Test Community College", slug="test-cc")
    enrollment_a = CohortEnrollmentFactory(cohort=cohort, district=district_a)
    CohortEnrollmentFactory(cohort=cohort, district=district_b)

    pc = UserFactory(email="pc@example.test")
    RoleAssignmentFactory(user=pc, role=RoleAssignment.Role.PROGRAM_COORDINATOR)
    dc_own = UserFactory(email="dc-own@example.test")
    RoleAssignmentFactory(
        user=dc_own, role=RoleAssignment.Role.DISTRICT_COORDINATOR, district=district_a
    )
    dc_other = UserFactory(email="dc-other@example.test")
    RoleAssignmentFactory(
        user=dc_other, role=RoleAssignment.Role.DISTRICT_COORDINATOR, district=district_b
    )
    liaison = UserFactory(email="liaison@example.test")
    RoleAssignmentFactory(user=liaison, role=RoleAssignment.Role.COLLEGE_LIAISON, college=college)
    teacher_user = UserFactory(email="teacher@example.test")
    para_user = UserFactory(email="para@example.test")
    teacher = TeacherFactory(school=school_a, user=teacher_user, email=teacher_user.email)
    para = ParaFactory(school=school_a, user=para_user, email=para_user.email)
    teacher_b = TeacherFactory(school=school_b, user=UserFactory(email="teacher-b@example.test"))
    para_b = ParaFactory(school=school_b, user=UserFactory(email="para-b@example.test"))
    return World(
        cohort=cohort,
        district_a=district_a,
        district_b=district_b,
        school_a=school_a,
        school_b=school_b,
        college=college,
        enrollment_a=enrollment_a,
        teacher=teacher,
        para=para,
        teacher_b=teacher_b,
        para_b=para_b,
        users={
            "anon": None,
            "pc": pc,
            "dc_own": dc_own,
            "dc_other": dc_other,
            "liaison": liaison,
            "teacher": teacher_user,
            "para": para_user,
        },
    )


def staff_with_liaison_email(w: World) -> Any:
    """A paraprofessional in district A whose email is the liaison's existing sign-in, not
    linked to it: what the account-link pages are about."""
    return w.once(
        "staff-with-liaison-email",
        lambda w: ParaFactory(school=w.school_a, email=w.users["liaison"].email),
    )
