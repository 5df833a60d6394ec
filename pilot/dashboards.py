"""What each role sees first at `/`: counts of what they may reach, with links."""

from django.db.models import Count, Q
from django.utils import timezone

from coursework import dashboard as coursework_dashboard
from mentoring import queries as mentoring_queries
from mentoring.models import Pairing
from observations import queries as observation_queries
from pilot.access import (
    Principal,
    visible_cohorts,
    visible_districts,
    visible_pairings,
    visible_staff,
)
from pilot.models import School, Staff


def _coordinator(p: Principal) -> tuple[str, dict]:
    staff_counts = visible_staff(p.user).aggregate(
        teachers=Count("id", filter=Q(role=Staff.Role.TEACHER, is_active=True)),
        paraprofessionals=Count("id", filter=Q(role=Staff.Role.PARAPROFESSIONAL, is_active=True)),
    )
    districts = visible_districts(p.user)
    return "pilot/dashboard/coordinator.html", {
        "district_count": districts.count(),
        "school_count": School.objects.filter(district__in=districts).count(),
        "cohort_count": visible_cohorts(p.user).count(),
        "staff_counts": staff_counts,
        "active_pairing_count": visible_pairings(p.user)
        .filter(status=Pairing.Status.ACTIVE)
        .count(),
        "districts": districts.filter(id__in=p.district_ids)
        if not p.is_program_coordinator
        else [],
    }


def _mentoring_panel(p: Principal) -> dict:
    """Teacher: "my paraprofessionals"; paraprofessional: "my mentor" (one query)."""
    teacher = p.is_teacher
    return {
        "is_teacher": teacher,
        "heading": "My paraprofessionals" if teacher else "My mentor",
        "empty": "You are not mentoring anyone right now."
        if teacher
        else "You have no active mentoring pairing right now.",
        "pairings": mentoring_queries.member_panel(p.staff),
    }


def _observation_panel(p: Principal) -> dict:
    """Teacher: observation forms due; paraprofessional: their latest observation."""
    context: dict = {}
    if p.is_teacher:
        today = timezone.localdate()
        due = observation_queries.forms_due(p.staff, today)
        context["observation_forms_due"] = due
        context["observation_forms_due_soon"] = [f for f in due if f.is_due_soon(today)]
    if p.is_paraprofessional:
        context["latest_observation"] = observation_queries.latest_observation(p.staff)
    return context


def _staff_member(p: Principal) -> tuple[str, dict]:
    context: dict = {
        "staff": p.staff,
        "mentoring_panel": _mentoring_panel(p),
        **_observation_panel(p),
    }
    if p.is_paraprofessional:
        context["coursework"] = coursework_dashboard.para_panel(p)
    if p.is_teacher:
        context["coursework_mentor"] = coursework_dashboard.mentor_panel(p)
    return "pilot/dashboard/staff.html", context


def _liaison(p: Principal) -> tuple[str, dict]:
    return "pilot/dashboard/liaison.html", {"coursework": coursework_dashboard.liaison_panel(p)}


def for_principal(p: Principal) -> tuple[str, dict]:
    if p.is_coordinator:
        return _coordinator(p)
    if p.is_college_liaison:
        return _liaison(p)
    if p.staff is not None:
        return _staff_member(p)
    return "pilot/dashboard/no_role.html", {}
