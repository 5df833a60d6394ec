"""What each role sees first at `/`: the answer to their first question, with links.

- coordinators: for the current cohort, districts enrolled, active pairings, mentoring
  minutes this month, credits earned, observation completion, and the average growth by
  domain of the latest cohort with end-of-pilot observations; then the program's size;
- teachers: their paraprofessionals, sessions this month, forms due;
- paraprofessionals: credit toward their plan, their latest observation, next steps;
- college liaisons: offerings waiting for grades.
Each panel runs a fixed number of queries, whatever the size of the program.
"""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from coursework import dashboard as coursework_dashboard
from coursework import queries as coursework_queries
from coursework.access import visible_course_enrollments
from mentoring import queries as mentoring_queries
from mentoring.models import Pairing
from observations import queries as observation_queries
from observations.access import coordinated_pairings
from pilot.access import (
    Principal,
    visible_cohort_enrollments,
    visible_cohorts,
    visible_districts,
    visible_staff,
)
from pilot.cohorts import current_cohort
from pilot.counting import count_all
from pilot.models import Cohort, School, Staff
from pilot.reporting.tables import MIN_GROUP, TOO_FEW


def _url(name: str, **query: object) -> str:
    params = {k: v for k, v in query.items() if v not in (None, "")}
    return reverse(name) + (f"?{urlencode(params)}" if params else "")


def _card(label: str, value: object, url: str, link_text: str, detail: str = "") -> dict:
    return {"label": label, "value": value, "detail": detail, "url": url, "link_text": link_text}


def _current_cards(p: Principal, cohort: Cohort | None) -> list[dict]:
    """The current cohort at a glance, within the coordinator's districts (5 queries)."""
    if cohort is None:
        return []
    today = timezone.localdate()
    pairings = coordinated_pairings(p.user).filter(cohort=cohort)
    month = mentoring_queries.mentoring_totals(pairings, since=today.replace(day=1))
    courses = coursework_queries.course_totals(
        visible_course_enrollments(p.user).filter(offering__cohort=cohort)
    )
    done = observation_queries.completion_summary(
        observation_queries.trackable_pairings(pairings, cohort)
    )
    counts = count_all(
        p.user,
        enrolled=visible_cohort_enrollments(p.user).filter(
            cohort=cohort, withdrawn_on__isnull=True
        ),
        active=pairings.filter(status=Pairing.Status.ACTIVE),
    )
    enrolled, active = counts["enrolled"], counts["active"]
    observations = _url("observations:index", cohort=cohort.uuid)
    return [
        _card("Districts enrolled", enrolled, _url("pilot:cohort-list"), "See the cohorts"),
        _card(
            "Active pairings",
            active,
            _url("mentoring:pairing-list", cohort=cohort.uuid, status="active"),
            "See the pairings",
        ),
        _card(
            f"Mentoring minutes in {today:%B}",
            month["minutes"],
            _url("reports:index", cohort=cohort.uuid) + "#mentoring-by-month",
            "Minutes by month",
            f"{month['sessions']} session{'s' if month['sessions'] != 1 else ''} logged",
        ),
        _card(
            "College credits earned",
            f"{courses['credits']:.1f}",
            _url("coursework:report", cohort=cohort.uuid),
            "Coursework by district",
            f"{courses['passed']} course{'s' if courses['passed'] != 1 else ''} passed",
        ),
        _card(
            "Baseline observations submitted",
            done["baseline"],
            observations,
            "See the completion tracker",
            f"of {done['pairings']} pairings",
        ),
        _card(
            "End-of-pilot observations submitted",
            done["end"],
            observations,
            "See the completion tracker",
            f"of {done['pairings']} pairings",
        ),
    ]


def _growth_cards(p: Principal) -> tuple[Cohort | None, list[dict]]:
    """Average growth by domain in the newest cohort with end-of-pilot forms, within the
    coordinator's districts (3 queries). Fewer than five pairings: too few to report."""
    pairings = coordinated_pairings(p.user)
    cohort_id = observation_queries.latest_cohort_with_end(pairings)
    if cohort_id is None:
        return None, []
    cohort = Cohort.objects.get(pk=cohort_id)
    url = _url("reports:index", cohort=cohort.uuid) + "#growth-by-domain"
    cards = []
    for row in observation_queries.growth_by_domain(pairings.filter(cohort=cohort)):
        if row["pairs"] < MIN_GROUP:
            cards.append(_card(row["question_label"], TOO_FEW, url, "See growth in detail"))
            continue
        cards.append(
            _card(
                row["question_label"],
                f"{row['change']:+.2f}",
                url,
                "See growth in detail",
                f"{row['baseline_mean']:.2f} at baseline, {row['end_mean']:.2f} at end of pilot "
                f"({row['pairs']} paraprofessionals)",
            )
        )
    return cohort, cards


def _coordinator(p: Principal) -> tuple[str, dict]:
    districts = visible_districts(p.user)
    staff = visible_staff(p.user).filter(is_active=True)
    counts = count_all(
        p.user,
        districts=districts,
        schools=School.objects.filter(district__in=districts),
        cohorts=visible_cohorts(p.user),
        teachers=staff.filter(role=Staff.Role.TEACHER),
        paraprofessionals=staff.filter(role=Staff.Role.PARAPROFESSIONAL),
    )
    cohort = current_cohort()
    growth_cohort, growth_cards = _growth_cards(p)
    return "pilot/dashboard/coordinator.html", {
        "cohort": cohort,
        "current_cards": _current_cards(p, cohort),
        "growth_cohort": growth_cohort,
        "growth_cards": growth_cards,
        "district_count": counts["districts"],
        "school_count": counts["schools"],
        "cohort_count": counts["cohorts"],
        "staff_counts": {
            "teachers": counts["teachers"],
            "paraprofessionals": counts["paraprofessionals"],
        },
        "teachers_url": _url("pilot:staff-list", role="teacher", is_active="true"),
        "paras_url": _url("pilot:staff-list", role="paraprofessional", is_active="true"),
        "districts": districts.filter(id__in=p.district_ids)
        if not p.is_program_coordinator
        else [],
    }


def _mentoring_panel(p: Principal) -> dict:
    """Teacher: "my paraprofessionals"; paraprofessional: "my mentor" (one query)."""
    teacher = p.is_teacher
    pairings = mentoring_queries.member_panel(p.staff)
    sessions = sum(pairing.month_sessions for pairing in pairings)
    minutes = sum(pairing.month_minutes for pairing in pairings)
    return {
        "is_teacher": teacher,
        "heading": "My paraprofessionals" if teacher else "My mentor",
        "empty": "You are not mentoring anyone right now."
        if teacher
        else "You have no active mentoring pairing right now.",
        "pairings": pairings,
        "month_heading": f"Mentoring sessions in {timezone.localdate():%B}",
        "month_sessions": sessions,
        "month_detail": f"{minutes} minute{'s' if minutes != 1 else ''}",
        "next_steps": [pairing.last_next_steps for pairing in pairings if pairing.last_next_steps],
        "open_goal_total": sum(pairing.open_goal_count for pairing in pairings),
    }


def _observation_panel(p: Principal) -> dict:
    """Teacher: observation forms due; paraprofessional: their latest observation."""
    context: dict = {}
    if p.is_teacher:
        today = timezone.localdate()
        due = observation_queries.forms_due(p.staff, today)
        context["observation_forms_due"] = due
        soon = [f for f in due if f.is_due_soon(today)]
        context["observation_forms_due_soon"] = soon
        context["forms_due_detail"] = f"{len(soon)} due within two weeks or overdue"
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
