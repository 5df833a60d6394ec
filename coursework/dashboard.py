"""Coursework's figures and panels on the dashboards (registered from ``apps.py``), a
fixed number of queries each: the credits earned in the current cohort (coordinators),
the offerings waiting for grades (liaisons), a paraprofessional's credit toward their
plan, and a mentor teacher's paraprofessionals' credit."""

from django.urls import reverse

from coursework.access import (
    course_enrollment_district_ids,
    managed_offerings,
    mentored_paraprofessional_ids,
    visible_course_enrollments,
)
from pilot.access import Capability
from pilot.models import Staff
from pilot.registry import (
    DASHBOARD_CARDS,
    DASHBOARD_PANELS,
    NEXT_STEPS,
    DashboardCard,
    DashboardPanel,
    NextStep,
)
from pilot.registry.dashboard import Dashboard, card, holds, link, plural, step

from . import credit, queries


def _credit_card(d: Dashboard) -> list[dict]:
    """College credits earned in the current cohort, in the coordinator's districts."""
    cohort = d.cohort
    if cohort is None:
        return []
    enrollments = visible_course_enrollments(d.user).filter(offering__cohort=cohort)
    districts = course_enrollment_district_ids(d.user)
    by_district = queries.cohort_figures_by_district(enrollments, cohort, districts)
    courses = queries.totals_of(by_district.values())
    return [
        card(
            "College credits earned",
            f"{courses['credits']:.1f}",
            link("coursework:report", cohort=cohort.uuid),
            "Coursework by district",
            f"{plural(courses['passed'], 'course')} passed",
        )
    ]


def waiting_for_grades(d: Dashboard) -> list:
    """Offerings of the liaison's colleges that have ended with grades still to record
    (one query, shared by the panel and "What to do next")."""
    return d.memo(
        "coursework.waiting_for_grades",
        lambda: list(queries.offerings_waiting_for_grades(managed_offerings(d.user))),
    )


def liaison_panel(d: Dashboard) -> dict:
    return {"coursework_liaison": {"waiting_for_grades": waiting_for_grades(d)}}


def _liaison_steps(d: Dashboard) -> list[dict]:
    return [
        step(
            f"Record final grades for {o.course.code} {o.course.title}, {o.term}, "
            f"section {o.section} ({plural(o.ungraded, 'enrollment')} without one)",
            reverse("coursework:offering-grades", args=[o.uuid]),
        )
        for o in waiting_for_grades(d)
    ]


def register_next_steps() -> None:
    NEXT_STEPS.register(
        NextStep("coursework.grades", _liaison_steps, holds(Capability.MANAGE_COLLEGE), 10)
    )


def para_panel(d: Dashboard) -> dict:
    """The paraprofessional's credit toward their declared plan."""
    para = d.principal.staff
    record = queries.learner_record(para)
    declaration = queries.declared_plan(para)
    progress = None
    if declaration is not None:
        plan = queries.plans_with_blocks().get(pk=declaration.plan_id)
        progress = credit.plan_progress(queries.plan_rules(plan), record.items)
    return {
        "coursework_credit": {"record": record, "progress": progress, "current": record.current}
    }


def mentor_panel(d: Dashboard) -> dict:
    """A mentor teacher's paraprofessionals with their plan and college credit (one query)."""
    mentored = Staff.objects.filter(pk__in=mentored_paraprofessional_ids(d.principal.staff))
    return {"coursework_mentees": {"mentees": list(queries.learner_summaries(mentored))}}


def register() -> None:
    DASHBOARD_CARDS.register(
        DashboardCard("coursework.cohort", _credit_card, holds(Capability.VIEW_PROGRAM), 30)
    )
    folder = "coursework/dashboard"
    for entry in (
        DashboardPanel(
            "coursework.liaison",
            f"{folder}/liaison_panel.html",
            liaison_panel,
            holds(Capability.MANAGE_COLLEGE),
            10,
        ),
        DashboardPanel(
            "coursework.credit",
            f"{folder}/para_panel.html",
            para_panel,
            holds(Capability.LEARN),
            10,
        ),
        DashboardPanel(
            "coursework.mentees",
            f"{folder}/mentor_panel.html",
            mentor_panel,
            holds(Capability.MENTOR),
            40,
        ),
    ):
        DASHBOARD_PANELS.register(entry)
