"""The records each user may see; anything outside these querysets is a 404."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from pilot.models import (
    Cohort,
    CohortEnrollment,
    District,
    RoleAssignment,
    School,
    Staff,
    User,
)

from .principal import principal


def sees_whole_program(user: User | AnonymousUser) -> bool:
    """True when the user's scope is the whole program, not some districts."""
    return principal(user).is_program_coordinator


def figures_scope_key(user: User | AnonymousUser) -> str:
    """A name for the scope of ``user``'s report figures, to key figures cached per scope
    (``pilot.figures_cache``): ``program`` for the whole program, shared by every program
    coordinator; anyone else's is their own (their districts and what their roles see)."""
    return "program" if principal(user).is_program_coordinator else f"user-{user.pk}"


def visible_districts(user: User | AnonymousUser) -> QuerySet[District]:
    p = principal(user)
    if p.is_program_coordinator:
        return District.objects.all()
    if p.is_district_coordinator:
        return District.objects.filter(id__in=p.district_ids)
    return District.objects.none()


def visible_schools(user: User | AnonymousUser) -> QuerySet[School]:
    p = principal(user)
    if p.is_program_coordinator:
        return School.objects.all()
    return School.objects.filter(district_id__in=p.district_ids)


def visible_staff(user: User | AnonymousUser) -> QuerySet[Staff]:
    p = principal(user)
    if p.is_program_coordinator:
        return Staff.objects.all()
    return Staff.objects.filter(district_id__in=p.district_ids)


def staff_scope_key(user: User | AnonymousUser) -> str:
    """A name for the staff ``visible_staff(user)`` returns, the same for every user who
    sees the same staff (to key figures cached per scope): ``program`` for the whole
    program, else the districts' ids."""
    p = principal(user)
    if p.is_program_coordinator:
        return "program"
    return "districts-" + ("-".join(str(pk) for pk in sorted(p.district_ids)) or "none")


def visible_cohorts(user: User | AnonymousUser) -> QuerySet[Cohort]:
    """Every coordinator sees every cohort (district coordinators read-only)."""
    p = principal(user)
    if p.is_coordinator:
        return Cohort.objects.all()
    return Cohort.objects.none()


def visible_cohort_enrollments(user: User | AnonymousUser) -> QuerySet[CohortEnrollment]:
    p = principal(user)
    if p.is_program_coordinator:
        return CohortEnrollment.objects.all()
    return CohortEnrollment.objects.filter(district_id__in=p.district_ids)


def visible_role_assignments(user: User | AnonymousUser) -> QuerySet[RoleAssignment]:
    p = principal(user)
    if p.is_program_coordinator:
        return RoleAssignment.objects.all()
    return RoleAssignment.objects.none()


def staff_named_scope(user: User | AnonymousUser) -> frozenset[int] | None:
    """The districts whose staff ``user`` may see named in a message; ``None`` for all."""
    p = principal(user)
    return None if p.is_program_coordinator else p.district_ids
