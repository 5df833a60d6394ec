"""What each person sees first at `/`: the cards and panels the apps registered
(``pilot.registry.DASHBOARD_CARDS`` / ``DASHBOARD_PANELS``) for which they are the
audience, under a heading that names them.

- coordinators: for the current cohort, districts enrolled, active pairings, mentoring
  minutes this month, credits earned and observation completion; the average growth by
  domain of the latest cohort with end-of-pilot observations; then the program's size;
- teachers: their paraprofessionals, sessions this month, forms due;
- paraprofessionals: credit toward their plan, their latest observation, next steps;
- college liaisons: offerings waiting for grades.
The cards' counts are folded into one query; each card and panel runs a fixed number of
queries, whatever the size of the program.
"""

from django.utils import timezone

from pilot.access import Capability, Principal, can, visible_districts
from pilot.counting import count_all
from pilot.figures_cache import cached_figures
from pilot.registry import DASHBOARD_CARDS, DASHBOARD_PANELS, NEXT_STEPS
from pilot.registry.dashboard import Dashboard

TEMPLATE = "pilot/dashboard/dashboard.html"
# What ``_header`` puts in the context: a panel must not reuse these names.
HEADER_NAMES = {"heading", "intro", "districts", "cards_heading"}
NO_ROLE = (
    "Your account has no role in the pilot yet. Ask your program coordinator to give you access."
)


def _header(d: Dashboard) -> dict:
    """The page's heading and the heading of its row of cards."""
    p = d.principal
    if can(p.user, Capability.VIEW_PROGRAM):
        cohort = d.cohort
        where = "" if d.program_wide else " in your districts"
        return {
            "heading": f"{p.role_label} dashboard",
            "districts": [] if d.program_wide else visible_districts(p.user),
            "cards_heading": {"id": "current-heading", "text": f"{cohort.name}{where}"}
            if cohort
            else None,
        }
    if can(p.user, Capability.MANAGE_COLLEGE):
        return {"heading": f"{p.role_label} dashboard"}
    if p.staff is not None:
        staff = p.staff
        return {
            "heading": f"Welcome, {staff.first_name}",
            "intro": f"{staff.get_role_display()} at {staff.school.name}, {staff.district.name}.",
            "cards_heading": {"id": "glance-heading", "text": "At a glance", "hidden": True},
        }
    return {"heading": "Welcome", "intro": NO_ROLE}


def _figures(d: Dashboard) -> dict:
    """The cards and the panels' context for the dashboard's audience."""
    p = d.principal
    cards = [entry for entry in DASHBOARD_CARDS if entry.audience(p)]
    panels = [entry for entry in DASHBOARD_PANELS if entry.audience(p)]
    querysets: dict = {}
    for entry in cards:
        if entry.counts is not None:
            querysets.update(entry.counts(d))
    if querysets:
        d.counts = count_all(p.user, **querysets)
    context = {
        "current_cards": [figure for entry in cards for figure in entry.build(d)],
        "panel_templates": [entry.template for entry in panels],
        # "What to do next" goes first: what waits for this person, across the apps.
        "next_actions": [
            item for entry in NEXT_STEPS if entry.audience(p) for item in entry.build(d)
        ],
        "show_next_actions": bool(cards or panels),
    }
    for entry in panels:
        names = entry.context(d)
        clash = names.keys() & (context.keys() | HEADER_NAMES)
        if clash:
            raise ValueError(f"Dashboard panel {entry.key!r} reuses {sorted(clash)}.")
        context.update(names)
    return context


def for_principal(p: Principal) -> tuple[str, dict]:
    d = Dashboard(p)
    context = _header(d)
    # The figures are cached until the next write (pilot.figures_cache), per scope and day
    # ("this month" and what is due move with the date): a coordinator's aggregate their
    # whole scope (shared by the program coordinators); anyone else's are their own.
    scope = "program" if d.program_wide else f"user-{p.user.pk}"
    key = (scope, timezone.localdate())
    context.update(cached_figures("dashboard", key, lambda: _figures(d)))
    return TEMPLATE, context
