"""Mentoring's figures and panels on the dashboards (registered from ``apps.py``).

Coordinators: active pairings and this month's mentoring minutes in the current cohort.
Teachers: "my paraprofessionals" with this month's sessions; paraprofessionals: "my
mentor". The member panel is one query, shared by the figures and the panel.
"""

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from pilot.access import Capability, visible_districts, visible_staff
from pilot.models import Staff
from pilot.registry import (
    DASHBOARD_CARDS,
    DASHBOARD_PANELS,
    NEXT_STEPS,
    DashboardCard,
    DashboardPanel,
    NextStep,
)
from pilot.registry.dashboard import (
    COORDINATORS,
    LEARNERS,
    MENTORS,
    Dashboard,
    card,
    holds,
    link,
    plural,
    step,
)

from . import queries
from .access import PAIRINGS
from .models import Pairing

_coordinates, _mentors, _learns = COORDINATORS, MENTORS, LEARNERS


def cohort_pairings(d: Dashboard) -> QuerySet[Pairing]:
    """The current cohort's pairings in the coordinator's districts."""
    return Pairing.objects.filter(cohort=d.cohort, district__in=visible_districts(d.user))


def _counts(d: Dashboard) -> dict[str, QuerySet]:
    if d.cohort is None:
        return {}
    return {
        "active_pairings": cohort_pairings(d).filter(status=Pairing.Status.ACTIVE),
        "unpaired_paraprofessionals": queries.unpaired_staff(
            visible_staff(d.user), d.cohort, Staff.Role.PARAPROFESSIONAL
        ),
    }


def _cohort_cards(d: Dashboard) -> list[dict]:
    """Active pairings (counted with the other cards) and this month's minutes (1 query)."""
    cohort = d.cohort
    if cohort is None:
        return []
    today = timezone.localdate()
    month = queries.mentoring_totals(cohort_pairings(d), since=today.replace(day=1))
    return [
        card(
            "Active pairings",
            d.counts["active_pairings"],
            link("mentoring:pairing-list", cohort=cohort.uuid, status="active"),
            "See the pairings",
        ),
        card(
            f"Mentoring minutes in {today:%B}",
            month["minutes"],
            link("reports:index", cohort=cohort.uuid) + "#mentoring-by-month",
            "Minutes by month",
            f"{plural(month['sessions'], 'session')} logged",
        ),
    ]


def member_pairings(d: Dashboard) -> list[Pairing]:
    """The signed-in teacher's or paraprofessional's active pairings (one query, shared)."""
    return d.memo("mentoring.member_pairings", lambda: queries.member_panel(d.principal.staff))


def _month(d: Dashboard) -> tuple[int, int]:
    pairings = member_pairings(d)
    return sum(p.month_sessions for p in pairings), sum(p.month_minutes for p in pairings)


def _mentor_cards(d: Dashboard) -> list[dict]:
    sessions, minutes = _month(d)
    pairings_url = link("mentoring:pairing-list")
    return [
        card(
            "Paraprofessionals I mentor",
            len(member_pairings(d)),
            pairings_url,
            "See my pairings",
        ),
        card(
            f"Mentoring sessions in {timezone.localdate():%B}",
            sessions,
            pairings_url,
            "Log a session from a pairing",
            plural(minutes, "minute"),
        ),
    ]


def _members_panel(d: Dashboard) -> dict:
    """Teacher: "my paraprofessionals"; paraprofessional: "my mentor"."""
    teacher = _mentors(d.principal)
    pairings = member_pairings(d)
    sessions, minutes = _month(d)
    for p in pairings:
        # Each card links straight to logging a session when the policy lets this user.
        p.can_log_session = p.is_active and PAIRINGS.allows(d.user, "log_session", p)
    return {
        "mentoring_panel": {
            "as_mentor": teacher,
            "heading": "My paraprofessionals" if teacher else "My mentor",
            "empty": "You are not mentoring anyone right now."
            if teacher
            else "You have no active mentoring pairing right now.",
            "pairings": pairings,
            "month_heading": f"Mentoring sessions in {timezone.localdate():%B}",
            "month_sessions": sessions,
            "month_detail": plural(minutes, "minute"),
            "next_steps": [p.last_next_steps for p in pairings if p.last_next_steps],
            "open_goal_total": sum(p.open_goal_count for p in pairings),
        }
    }


def _coordinator_steps(d: Dashboard) -> list[dict]:
    """Paraprofessionals of the current cohort still without a mentor (counted with the
    cards)."""
    unpaired = d.counts.get("unpaired_paraprofessionals", 0)
    if not unpaired:
        return []
    return [
        step(
            f"Pair {plural(unpaired, 'paraprofessional')} who "
            f"{'has' if unpaired == 1 else 'have'} no mentor yet",
            link("mentoring:unpaired"),
        )
    ]


def _member_steps(d: Dashboard) -> list[dict]:
    """A pair with no session logged this month: log one."""
    month = f"{timezone.localdate():%B}"
    teacher = _mentors(d.principal)
    return [
        step(
            f"Log a session with "
            f"{p.paraprofessional.full_name if teacher else p.teacher.full_name}: "
            f"none yet in {month}",
            reverse("mentoring:session-create", args=[p.uuid]),
        )
        for p in member_pairings(d)
        if not p.month_sessions and p.is_active and PAIRINGS.allows(d.user, "log_session", p)
    ]


def register() -> None:
    for entry in (
        DashboardCard("mentoring.cohort", _cohort_cards, _coordinates, 20, counts=_counts),
        DashboardCard("mentoring.mentor", _mentor_cards, _mentors, 20),
    ):
        DASHBOARD_CARDS.register(entry)
    template = "mentoring/dashboard/members_panel.html"
    for entry in (
        DashboardPanel("mentoring.mentor", template, _members_panel, _mentors, 20),
        DashboardPanel("mentoring.mentee", template, _members_panel, _learns, 90),
    ):
        DASHBOARD_PANELS.register(entry)
    for entry in (
        NextStep("mentoring.unpaired", _coordinator_steps, _coordinates, 20),
        NextStep(
            "mentoring.sessions", _member_steps, holds(Capability.MENTOR, Capability.LEARN), 20
        ),
    ):
        NEXT_STEPS.register(entry)
