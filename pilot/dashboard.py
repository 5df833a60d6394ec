"""The core's figures on a coordinator's dashboard: districts enrolled in the current
cohort, and the program's size (registered from ``pilot.registrations``)."""

from django.db.models import QuerySet

from pilot.access import (
    visible_cohort_enrollments,
    visible_cohorts,
    visible_districts,
    visible_staff,
)
from pilot.counting import count_all
from pilot.models import School, Staff
from pilot.registry import DASHBOARD_CARDS, DASHBOARD_PANELS, DashboardCard, DashboardPanel
from pilot.registry.dashboard import COORDINATORS, Dashboard, card, link


def _counts(d: Dashboard) -> dict[str, QuerySet]:
    if d.cohort is None:
        return {}
    enrolled = visible_cohort_enrollments(d.user).filter(cohort=d.cohort, withdrawn_on__isnull=True)
    return {"districts_enrolled": enrolled}


def _enrolled_card(d: Dashboard) -> list[dict]:
    if d.cohort is None:
        return []
    return [
        card(
            "Districts enrolled",
            d.counts["districts_enrolled"],
            link("pilot:cohort-list"),
            "See the cohorts",
        )
    ]


def _program_panel(d: Dashboard) -> dict:
    """The size of the coordinator's part of the program (one query)."""
    districts = visible_districts(d.user)
    staff = visible_staff(d.user).filter(is_active=True)
    counts = count_all(
        d.user,
        districts=districts,
        schools=School.objects.filter(district__in=districts),
        cohorts=visible_cohorts(d.user),
        teachers=staff.filter(role=Staff.Role.TEACHER),
        paraprofessionals=staff.filter(role=Staff.Role.PARAPROFESSIONAL),
    )
    return {
        "program_heading": "The program" if d.program_wide else "Your districts",
        "district_count": counts["districts"],
        "school_count": counts["schools"],
        "cohort_count": counts["cohorts"],
        "staff_counts": {
            "teachers": counts["teachers"],
            "paraprofessionals": counts["paraprofessionals"],
        },
        "teachers_url": link("pilot:staff-list", role="teacher", is_active="true"),
        "paras_url": link("pilot:staff-list", role="paraprofessional", is_active="true"),
    }


def register() -> None:
    coordinators = COORDINATORS
    DASHBOARD_CARDS.register(
        DashboardCard("pilot.enrolled", _enrolled_card, coordinators, 10, counts=_counts)
    )
    DASHBOARD_PANELS.register(
        DashboardPanel(
            "pilot.program", "pilot/dashboard/program_panel.html", _program_panel, coordinators, 20
        )
    )
