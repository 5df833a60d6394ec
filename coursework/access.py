"""Who may see and change coursework: catalog, offerings, grades, progress, transcripts.

- Everyone signed in reads the catalog and the degree plans.
- A college liaison manages their college's courses, plans, offerings, enrollments,
  grades and transfer credit, and reads the progress and transcript of paraprofessionals
  who study at their college.
- A paraprofessional sees their own progress and transcript (another's is a 404).
- Their mentor teacher (see ``mentored_paraprofessional_ids``) and coordinators in scope
  may open the same pages; other teachers get 404.
"""

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
from pilot.models import Cohort, CohortEnrollment, Staff, User


def mentored_paraprofessional_ids(teacher: Staff | None) -> QuerySet:
    """The ids of the paraprofessionals a teacher mentors now (mentoring provides it)."""
    return related_staff_ids(MENTEES, teacher)


def managed_courses(user: User | AnonymousUser) -> QuerySet[Course]:
    """Courses the user keeps: those of their colleges (liaisons only)."""
    return Course.objects.filter(college_id__in=principal(user).college_ids)


def managed_plans(user: User | AnonymousUser) -> QuerySet[DegreePlan]:
    return DegreePlan.objects.filter(college_id__in=principal(user).college_ids)


def managed_offerings(user: User | AnonymousUser) -> QuerySet[Offering]:
    return Offering.objects.filter(course__college_id__in=principal(user).college_ids)


def managed_transfer_credits(user: User | AnonymousUser) -> QuerySet[TransferCredit]:
    return TransferCredit.objects.filter(college_id__in=principal(user).college_ids)


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


def visible_learners(user: User | AnonymousUser) -> QuerySet[Staff]:
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
            pk__in=Enrollment.objects.filter(offering__course__college_id__in=p.college_ids).values(
                "para_id"
            )
        ) | Q(pk__in=TransferCredit.objects.filter(college_id__in=p.college_ids).values("para_id"))
    if p.is_teacher:
        allowed |= Q(pk__in=mentored_paraprofessional_ids(p.staff))
    if p.is_paraprofessional:
        allowed |= Q(pk=p.staff.pk)
    return paras.filter(allowed)


def visible_course_enrollments(user: User | AnonymousUser) -> QuerySet[Enrollment]:
    """Enrollments for the coordinators' report: paraprofessionals of their districts."""
    p = principal(user)
    if p.is_program_coordinator:
        return Enrollment.objects.all()
    return Enrollment.objects.filter(para__district_id__in=p.district_ids)


def own_enrollments(user: User | AnonymousUser) -> QuerySet[Enrollment]:
    p = principal(user)
    if not p.is_paraprofessional:
        return Enrollment.objects.none()
    return Enrollment.objects.filter(para=p.staff)
