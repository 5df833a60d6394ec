"""Who may see and change coursework: catalog, offerings, grades, progress, transcripts.

- Everyone signed in reads the catalog and the degree plans.
- A college liaison manages their college's courses, plans, offerings, enrollments,
  grades and transfer credit, and reads the progress and transcript of paraprofessionals
  who study at their college.
- A paraprofessional sees their own progress and transcript (another's is a 404).
- Their mentor teacher (see ``mentored_paraprofessional_ids``) and coordinators in scope
  may open the same pages; other teachers get 404.
"""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from coursework.models import (
    Course,
    DegreePlan,
    Enrollment,
    Offering,
    TransferCredit,
)
from pilot.access.principal import principal
from pilot.access.relations import MENTEES, related_staff_ids
from pilot.models import Cohort, CohortEnrollment, College, Staff, User


def mentored_paraprofessional_ids(teacher: Staff | None) -> QuerySet:
    """The ids of the paraprofessionals a teacher mentors now (mentoring provides it)."""
    return related_staff_ids(MENTEES, teacher)


def managed_colleges(user: User | AnonymousUser) -> QuerySet[College]:
    """The colleges whose catalog the user keeps (liaisons only)."""
    return College.objects.filter(id__in=principal(user).college_ids)


def managed_offerings(user: User | AnonymousUser) -> QuerySet[Offering]:
    return Offering.objects.filter(course__college_id__in=principal(user).college_ids)


def offering_cohorts(user: User | AnonymousUser) -> QuerySet[Cohort]:
    """Cohorts a liaison may open offerings for: any that is not closed."""
    if not principal(user).is_college_liaison:
        return Cohort.objects.none()
    return Cohort.objects.exclude(status=Cohort.Status.CLOSED)


def enrollable_paraprofessionals(offering: Offering) -> QuerySet[Staff]:
    """Active paraprofessionals of the districts enrolled in the offering's cohort, not yet
    in the offering."""
    districts = CohortEnrollment.objects.filter(
        cohort_id=offering.cohort_id, withdrawn_on__isnull=True
    ).values("district_id")
    return Staff.objects.filter(
        role=Staff.Role.PARAPROFESSIONAL, is_active=True, district_id__in=districts
    ).exclude(pk__in=Enrollment.objects.filter(offering=offering).values("para_id"))


def visible_course_enrollments(user: User | AnonymousUser) -> QuerySet[Enrollment]:
    """Enrollments for the coordinators' report: paraprofessionals of their districts."""
    p = principal(user)
    if p.is_program_coordinator:
        return Enrollment.objects.all()
    return Enrollment.objects.filter(para__district_id__in=p.district_ids)


def course_enrollment_district_ids(user: User | AnonymousUser) -> frozenset[int] | None:
    """The districts of ``visible_course_enrollments``' paraprofessionals: None for all."""
    p = principal(user)
    return None if p.is_program_coordinator else p.district_ids


# -- the policies (registered in ``CourseworkConfig.ready``) ----------------------------


class CatalogPolicy:
    """Courses and degree plans: everyone signed in reads them; a liaison adds to and
    edits their own colleges' ("add", "edit")."""

    def __init__(self, model: type[Course] | type[DegreePlan]) -> None:
        self.model = model

    def visible(self, user: User | AnonymousUser) -> QuerySet:
        if not principal(user).is_authenticated:
            return self.model.objects.none()
        return self.model.objects.all()

    def managed(self, user: User | AnonymousUser) -> QuerySet:
        return self.model.objects.filter(college_id__in=principal(user).college_ids)

    def allows(self, user: User | AnonymousUser, action: str, obj: Any = None) -> bool:
        p = principal(user)
        if action == "add":
            return p.is_college_liaison and bool(p.college_ids)
        if action == "edit":
            return obj is not None and obj.college_id in p.college_ids
        return False


class OfferingPolicy:
    """A liaison's offerings (their colleges' courses): they edit them, add modules,
    enroll, grade and export ("edit", "enroll", "grade")."""

    def visible(self, user: User | AnonymousUser) -> QuerySet[Offering]:
        return managed_offerings(user)

    def allows(self, user: User | AnonymousUser, action: str, obj: Any = None) -> bool:
        if action in ("add", "edit", "enroll", "grade"):
            p = principal(user)
            return p.is_college_liaison and (obj is None or obj.course.college_id in p.college_ids)
        return False


class EnrollmentPolicy:
    """Enrollments the liaison keeps, and the paraprofessional's own; only the
    paraprofessional marks the modules of their open enrollment ("mark_module")."""

    def visible(self, user: User | AnonymousUser) -> QuerySet[Enrollment]:
        return Enrollment.objects.filter(
            Q(pk__in=self.own(user).values("pk"))
            | Q(offering__in=managed_offerings(user).values("pk"))
        )

    def own(self, user: User | AnonymousUser) -> QuerySet[Enrollment]:
        """The paraprofessional's own enrollments."""
        p = principal(user)
        if not p.is_paraprofessional:
            return Enrollment.objects.none()
        return Enrollment.objects.filter(para=p.staff)

    def allows(self, user: User | AnonymousUser, action: str, obj: Any = None) -> bool:
        if action == "mark_module":
            p = principal(user)
            return (
                p.is_paraprofessional
                and obj is not None
                and obj.para_id == p.staff.pk
                and obj.status == Enrollment.Status.ENROLLED
            )
        return False


class TransferCreditPolicy:
    """Paraprofessionals submit their own ("submit"); the college named verifies or
    declines it ("verify")."""

    def visible(self, user: User | AnonymousUser) -> QuerySet[TransferCredit]:
        """Credit claimed for the colleges the user keeps."""
        return TransferCredit.objects.filter(college_id__in=principal(user).college_ids)

    def allows(self, user: User | AnonymousUser, action: str, obj: Any = None) -> bool:
        p = principal(user)
        if action == "submit":
            return p.is_paraprofessional
        if action == "verify":
            return obj is not None and obj.college_id in p.college_ids
        return False


class LearnerPolicy:
    """Whose progress and transcript a user may open (``visible``); only the
    paraprofessional declares a plan for themselves ("declare_plan")."""

    def visible(self, user: User | AnonymousUser) -> QuerySet[Staff]:
        """Paraprofessionals whose progress and transcript the user may open."""
        p = principal(user)
        paras = Staff.objects.filter(role=Staff.Role.PARAPROFESSIONAL)
        if not p.is_authenticated:
            return paras.none()
        if p.is_program_coordinator:
            return paras
        allowed = Q(pk__in=[])
        if p.district_ids:
            allowed |= Q(district_id__in=p.district_ids)
        if p.college_ids:
            allowed |= Q(
                pk__in=Enrollment.objects.filter(
                    offering__course__college_id__in=p.college_ids
                ).values("para_id")
            ) | Q(
                pk__in=TransferCredit.objects.filter(college_id__in=p.college_ids).values("para_id")
            )
        if p.is_teacher:
            allowed |= Q(pk__in=mentored_paraprofessional_ids(p.staff))
        if p.is_paraprofessional:
            allowed |= Q(pk=p.staff.pk)
        return paras.filter(allowed)

    def allows(self, user: User | AnonymousUser, action: str, obj: Any = None) -> bool:
        p = principal(user)
        if action == "declare_plan":
            return p.is_paraprofessional and obj is not None and obj.pk == p.staff.pk
        return False


COURSES = CatalogPolicy(Course)
PLANS = CatalogPolicy(DegreePlan)
OFFERINGS = OfferingPolicy()
ENROLLMENTS = EnrollmentPolicy()
TRANSFER_CREDITS = TransferCreditPolicy()
LEARNERS = LearnerPolicy()
# Learners are staff records (the core's model): their coursework face has its own label.
LEARNER = "coursework.Learner"


def register() -> None:
    from pilot.access import register_policy

    register_policy(Course, COURSES)
    register_policy(DegreePlan, PLANS)
    register_policy(Offering, OFFERINGS)
    register_policy(Enrollment, ENROLLMENTS)
    register_policy(TransferCredit, TRANSFER_CREDITS)
    register_policy(LEARNER, LEARNERS)
