"""Observations' figures and panels on the dashboards (registered from ``apps.py``).

Coordinators: baseline and end-of-pilot completion in the current cohort, and the
average growth by domain of the newest cohort with end-of-pilot observations. Teachers:
the forms due. Paraprofessionals: their latest observation and their next steps.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from mentoring.dashboard import member_pairings
from pilot.models import Cohort
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
    link,
    step,
)
from pilot.reporting.tables import MIN_GROUP, TOO_FEW

from . import queries
from .access import coordinated_district_ids, coordinated_pairings
from .schedule import DueForm

_coordinates, _mentors, _learns = COORDINATORS, MENTORS, LEARNERS


def _completion_cards(d: Dashboard) -> list[dict]:
    """Baseline and end-of-pilot forms submitted in the current cohort (1 query)."""
    cohort = d.cohort
    if cohort is None:
        return []
    pairings, districts = coordinated_pairings(d.user), coordinated_district_ids(d.user)
    done = queries.completion_totals(queries.cohort_completion(pairings, cohort, districts))
    url = link("observations:index", cohort=cohort.uuid)
    of = f"of {done['pairings']} pairings"
    return [
        card(
            "Baseline observations submitted",
            done["baseline"],
            url,
            "See the completion tracker",
            of,
        ),
        card(
            "End-of-pilot observations submitted",
            done["end"],
            url,
            "See the completion tracker",
            of,
        ),
    ]


def _growth_panel(d: Dashboard) -> dict:
    """Average growth by domain in the newest cohort with end-of-pilot forms, within the
    coordinator's districts (3 queries). Fewer than five pairings: too few to report."""
    pairings = coordinated_pairings(d.user)
    cohort_id = queries.latest_cohort_with_end(pairings)
    context = {"growth_cohort": None, "growth_cards": [], "growth_in_districts": not d.program_wide}
    if cohort_id is None:
        return context
    cohort = Cohort.objects.get(pk=cohort_id)
    url = link("reports:index", cohort=cohort.uuid) + "#growth-by-domain"
    cards = []
    for row in queries.growth_by_domain(pairings.filter(cohort=cohort)):
        if row["pairs"] < MIN_GROUP:
            cards.append(card(row["question_label"], TOO_FEW, url, "See growth in detail"))
            continue
        cards.append(
            card(
                row["question_label"],
                f"{row['change']:+.2f}",
                url,
                "See growth in detail",
                f"{row['baseline_mean']:.2f} at baseline, {row['end_mean']:.2f} at end of pilot "
                f"({row['pairs']} paraprofessionals)",
            )
        )
    return {**context, "growth_cohort": cohort, "growth_cards": cards}


def forms_due(d: Dashboard) -> list[DueForm]:
    """The teacher's forms not yet submitted (two queries, shared by card and panel)."""
    return d.memo(
        "observations.forms_due",
        lambda: queries.forms_due(d.principal.staff, timezone.localdate()),
    )


def _due_soon(d: Dashboard) -> list[DueForm]:
    today = timezone.localdate()
    return [form for form in forms_due(d) if form.is_due_soon(today)]


def _forms_due_card(d: Dashboard) -> list[dict]:
    return [
        card(
            "Observation forms due",
            len(forms_due(d)),
            link("observations:index"),
            "Go to my observations",
            f"{len(_due_soon(d))} due within two weeks or overdue",
        )
    ]


def _forms_due_panel(d: Dashboard) -> dict:
    # Soonest due first, so the overdue ones lead; each links to its form.
    return {
        "observation_forms_due": forms_due(d),
        "observation_forms_due_soon": _due_soon(d),
        "observation_today": timezone.localdate(),
    }


def latest(d: Dashboard):
    return d.memo("observations.latest", lambda: queries.latest_observation(d.principal.staff))


def _latest_panel(d: Dashboard) -> dict:
    return {"latest_observation": latest(d)}


def _next_steps_panel(d: Dashboard) -> dict:
    """What the paraprofessional agreed at their latest observation and mentoring sessions."""
    pairings = member_pairings(d)
    observation = latest(d)
    return {
        "next_steps": {
            "observation": observation.next_steps if observation else "",
            "observation_kind": observation.get_kind_display().lower() if observation else "",
            "mentoring": [p.last_next_steps for p in pairings if p.last_next_steps],
            "open_goals": sum(p.open_goal_count for p in pairings),
        }
    }


def register() -> None:
    for entry in (
        DashboardCard("observations.cohort", _completion_cards, _coordinates, 40),
        DashboardCard("observations.forms-due", _forms_due_card, _mentors, 30),
    ):
        DASHBOARD_CARDS.register(entry)
    for entry in (
        DashboardPanel(
            "observations.growth",
            "observations/dashboard/growth_panel.html",
            _growth_panel,
            _coordinates,
            10,
        ),
        DashboardPanel(
            "observations.forms-due",
            "observations/dashboard/forms_due_panel.html",
            _forms_due_panel,
            _mentors,
            30,
        ),
        DashboardPanel(
            "observations.latest",
            "observations/dashboard/latest_panel.html",
            _latest_panel,
            _learns,
            20,
        ),
        DashboardPanel(
            "observations.next-steps",
            "observations/dashboard/next_steps_panel.html",
            _next_steps_panel,
            _learns,
            30,
        ),
    ):
        DASHBOARD_PANELS.register(entry)


def _teacher_steps(d: Dashboard) -> list[dict]:
    """Forms overdue or due within two weeks, overdue first, each a link to the form."""
    today = timezone.localdate()
    steps = []
    for form in sorted(_due_soon(d), key=lambda f: (not f.is_overdue(today), f.due_on)):
        name = form.pairing.paraprofessional.full_name
        what = f"the {form.kind_label.lower()} observation of {name}"
        if form.observation is not None:
            url = reverse("observations:detail", args=[form.observation.uuid])
            text = f"Finish {what}"
        else:
            url = reverse("observations:create", args=[form.pairing.uuid]) + f"?kind={form.kind}"
            text = f"Start {what}"
        due = date_format(form.due_on, "MONTH_DAY_FORMAT")
        if form.is_overdue(today):
            steps.append(step(f"{text} (due {due})", url, "overdue"))
        else:
            steps.append(step(f"{text} by {due}", url, "due"))
    return steps


def _para_steps(d: Dashboard) -> list[dict]:
    """A submitted observation the paraprofessional has not acknowledged yet."""
    observation = latest(d)
    if observation is None or hasattr(observation, "acknowledgement"):
        return []
    return [
        step(
            f"Read and acknowledge your {observation.get_kind_display().lower()} observation",
            reverse("observations:detail", args=[observation.uuid]),
        )
    ]


def register_next_steps() -> None:
    NEXT_STEPS.register(NextStep("observations.forms-due", _teacher_steps, _mentors, 10))
    NEXT_STEPS.register(NextStep("observations.acknowledge", _para_steps, _learns, 10))
