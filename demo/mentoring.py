"""Demo pairings, sessions and goals for `seed_demo` (called with the core DemoWorld).

- teacher@demo.test mentors para@demo.test and one more paraprofessional of the first
  district (both active), and had a third pairing that ended early this autumn;
- para@demo.test finished a pairing in last year's cohort (completed);
- teacher2@demo.test mentors para2@demo.test (active) in the second district;
- every school has active pairings (all its paraprofessionals but one, who is left for
  the "unpaired" page); last year's cohort has completed and ended-early ones in each
  district's first school, and completed ones in its next two schools (all but one
  district), so the reports have groups of five and more with growth to show.
Deterministic (``world.rng``, consumed the same way on every run) and idempotent: a
pairing that exists (same cohort, teacher, paraprofessional and start) is left alone.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from demo.core import DISTRICTS, DemoWorld, without_alumni
from mentoring.models import Goal, MentoringSession, Pairing, SupportRole
from pilot.models import School, Staff
from pilot.questions import PilotQuestion

TODAY = date(2026, 11, 24)  # the demo's "today"
Q = PilotQuestion
R = SupportRole.Role

NOTES = {
    Q.CLASSROOM_SUPPORT: [
        "Planned the reading small group together; agreed who takes the word-work station.",
        "Reviewed last week's exit tickets and regrouped three students for Tier 2 practice.",
        "Modeled a think-aloud for the fractions lesson; the para will lead it on Thursday.",
        "Went through the student's IEP goals and how to prompt without giving answers.",
    ],
    Q.ENGAGEMENT: [
        "Talked about the ED 101 module on child development and how it shows up in class.",
        "Looked at the credit plan: two more courses before the associate degree.",
        "Discussed joining the grade-level team meeting and what to bring to it.",
        "Shared a short article on feedback; we will each try one idea this week.",
    ],
    Q.CLASSROOM_MANAGEMENT: [
        "Practised the transition signal and where the para stands during line-up.",
        "Reviewed behaviour data from the independent-work block; fewer off-task notes.",
        "Agreed a quiet correction script for the back table during whole-group lessons.",
        "Walked the room layout for monitoring the independent-work stations.",
    ],
}
NEXT_STEPS = [
    "Try it on Monday and bring one note on what worked.",
    "Para leads the warm-up; teacher observes and gives one piece of feedback.",
    "Check in Friday after dismissal.",
    "Bring student work samples to the next session.",
    "",
]
GOALS = {
    Q.CLASSROOM_SUPPORT: [
        "Lead the Tier 2 reading group on my own for a full week.",
        "State the learning target at the start of every small-group session.",
    ],
    Q.ENGAGEMENT: [
        "Finish the two fall courses with a C or better.",
        "Present one strategy at the spring paraprofessional meeting.",
    ],
    Q.CLASSROOM_MANAGEMENT: [
        "Use the quiet-correction script consistently during independent work.",
        "Monitor all four stations with a clipboard check every ten minutes.",
    ],
}
ROLES_BY_MODEL = {
    School.SupportModel.PARA_LED: [(R.SMALL_GROUP, 2), (R.ONE_ON_ONE, 3), (R.TIER1, 1)],
    School.SupportModel.TEACHER_LED: [
        (R.INDEPENDENT_WORK, 1),
        (R.MONITORING, 1),
        (R.RELATIONSHIPS, 1),
        (R.TIER1, 1),
    ],
}


@dataclass
class Plan:
    pairing: Pairing
    roles: list[tuple[str, int]]
    sessions: list[MentoringSession] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)


def _focus(rng) -> list[str]:
    chosen = rng.sample(Q.values, k=rng.randint(1, 3))
    return [v for v in Q.values if v in chosen]


def _plan(
    rng,
    cohort,
    teacher: Staff,
    para: Staff,
    starts_on: date,
    status: str = Pairing.Status.ACTIVE,
    closed_on: date | None = None,
    reason: str = "",
) -> Plan:
    focus = _focus(rng)
    pairing = Pairing(
        cohort=cohort,
        district_id=teacher.district_id,
        teacher=teacher,
        paraprofessional=para,
        starts_on=starts_on,
        ends_on=cohort.ends_on - timedelta(days=14),
        status=status,
        closed_on=closed_on,
        end_reason=reason,
        focus_areas=focus,
    )
    options = ROLES_BY_MODEL[para.school.support_model]
    roles = rng.sample(options, k=rng.randint(2, len(options)))
    plan = Plan(pairing, roles)
    last = min(closed_on or pairing.ends_on, TODAY)
    day = starts_on + timedelta(days=rng.randint(3, 9))
    while day <= last:
        areas = [v for v in focus if rng.random() < 0.7] or focus[:1]
        plan.sessions.append(
            MentoringSession(
                held_on=day,
                minutes=rng.choice([20, 30, 30, 45, 45, 60, 90]),
                focus_areas=areas,
                notes=" ".join(rng.choice(NOTES[Q(a)]) for a in areas),
                next_steps=rng.choice(NEXT_STEPS),
                logged_by=teacher if rng.random() < 0.6 else para,
            )
        )
        day += timedelta(days=rng.randint(10, 18))
    for n in range(rng.randint(2, 3)):
        area = focus[n % len(focus)]
        if status == Pairing.Status.ACTIVE:
            goal_status = rng.choice([Goal.Status.OPEN, Goal.Status.OPEN, Goal.Status.MET])
        elif status == Pairing.Status.COMPLETED:
            goal_status = rng.choice([Goal.Status.MET, Goal.Status.MET, Goal.Status.DROPPED])
        else:
            goal_status = Goal.Status.DROPPED
        plan.goals.append(
            Goal(
                focus_area=area,
                text=rng.choice(GOALS[Q(area)]),
                target_on=min(starts_on + timedelta(days=60 + 45 * n), pairing.ends_on),
                status=goal_status,
                set_by=teacher if n % 2 == 0 else para,
            )
        )
    return plan


def _school_staff(district) -> list[tuple[list[Staff], list[Staff]]]:
    """(teachers, paraprofessionals) of each school, generated staff only, stable order."""
    staff = (
        without_alumni(Staff.objects.filter(district=district, user__isnull=True))
        .select_related("school")
        .order_by("school__name", "id")
    )
    by_school: dict[int, tuple[list[Staff], list[Staff]]] = {}
    for s in staff:
        teachers, paras = by_school.setdefault(s.school_id, ([], []))
        (teachers if s.role == Staff.Role.TEACHER else paras).append(s)
    return list(by_school.values())


def _plans(world: DemoWorld) -> list[Plan]:
    rng = world.rng
    cohort, past = world.cohort, world.past_cohort
    start, past_start = date(2026, 8, 17), date(2025, 8, 18)
    past_closed = date(2026, 6, 5)
    plans: list[Plan] = []
    staff = world.staff
    teacher, para = staff["teacher@demo.test"], staff["para@demo.test"]
    first_schools = _school_staff(world.districts[0])

    # The demo sign-ins first.
    plans.append(_plan(rng, cohort, teacher, para, start))
    extra_para = first_schools[0][1][2]
    plans.append(_plan(rng, cohort, teacher, extra_para, start + timedelta(days=7)))
    early_para = first_schools[1][1][2]
    plans.append(
        _plan(
            rng,
            cohort,
            teacher,
            early_para,
            start,
            Pairing.Status.ENDED_EARLY,
            date(2026, 10, 16),
            "The paraprofessional moved to a half-day schedule at another building.",
        )
    )
    plans.append(
        _plan(rng, past, first_schools[0][0][0], para, past_start, "completed", past_closed)
    )
    plans.append(_plan(rng, cohort, staff["teacher2@demo.test"], staff["para2@demo.test"], start))
    taken = {extra_para.pk, early_para.pk}

    # Every school: two active pairings now; last year, completed ones and an early end.
    past_districts = {e.district_id for e in past.enrollments.all()}
    for index, district in enumerate(world.districts):
        for n, (teachers, paras) in enumerate(
            first_schools if index == 0 else _school_staff(district)
        ):
            free = [p for p in paras if p.pk not in taken]
            # Pair all but one paraprofessional (left for the "unpaired" page).
            for k in range(min(len(teachers), len(free) - 1)):
                plans.append(_plan(rng, cohort, teachers[k], free[k], start))
            if district.pk in past_districts and n == 0:
                for k in range(min(3, len(teachers), len(paras))):
                    early = k == 2
                    plans.append(
                        _plan(
                            rng,
                            past,
                            teachers[(k + 1) % len(teachers)],
                            paras[k],
                            past_start,
                            Pairing.Status.ENDED_EARLY if early else Pairing.Status.COMPLETED,
                            date(2026, 2, 13) if early else past_closed,
                            "The teacher took a leave of absence." if early else "",
                        )
                    )
    plans += _past_reach(world)
    plans += _first_year(world)
    return plans


def _first_year(world: DemoWorld) -> list[Plan]:
    """The pilot's first year (2024–2025), completed: in each district that took part,
    two paraprofessionals of its first school who are still in the pilot today (they
    continued into the next years) and the year's alumni. Its own generator."""
    first = world.first_cohort
    rng = random.Random("mentoring:first-year")
    plans: list[Plan] = []
    for district in world.districts:
        alumni = world.alumni.get(district.pk)
        if not alumni:
            continue
        teachers, paras = _school_staff(district)[0]
        for k, para in enumerate([*paras[:2], *alumni]):
            plans.append(
                _plan(
                    rng,
                    first,
                    teachers[k % len(teachers)],
                    para,
                    date(2024, 8, 19),
                    Pairing.Status.COMPLETED,
                    date(2025, 6, 6),
                )
            )
    return plans


# Last year's cohort reached more schools than its first in each district, so the reports
# have groups of five or more; one district stayed in a single school (too few to report).
PAST_EXTRA_SCHOOLS = 2
PAST_SINGLE_SCHOOL = 3  # the fourth demo district (Maple Grove), in every copy


def _past_reach(world: DemoWorld) -> list[Plan]:
    """Completed pairings of last year's cohort in the second and third school of each
    district that took part. Its own generator, so the choices above are unchanged."""
    past = world.past_cohort
    rng = random.Random("mentoring:past-reach")
    past_districts = {e.district_id for e in past.enrollments.all()}
    plans: list[Plan] = []
    for index, district in enumerate(world.districts):
        if district.pk not in past_districts or index % len(DISTRICTS) == PAST_SINGLE_SCHOOL:
            continue
        schools = _school_staff(district)[1 : 1 + PAST_EXTRA_SCHOOLS]
        for teachers, paras in schools:
            for k in range(min(3, len(teachers), len(paras))):
                plans.append(
                    _plan(
                        rng,
                        past,
                        teachers[(k + 1) % len(teachers)],
                        paras[k],
                        date(2025, 8, 25),
                        Pairing.Status.COMPLETED,
                        date(2026, 6, 5),
                    )
                )
    return plans


@transaction.atomic
def seed(world: DemoWorld) -> None:
    plans = _plans(world)
    existing = set(
        Pairing.objects.filter(
            cohort__in=[world.cohort, world.past_cohort, world.first_cohort]
        ).values_list("cohort_id", "teacher_id", "paraprofessional_id", "starts_on")
    )
    new = [
        p
        for p in plans
        if (
            p.pairing.cohort_id,
            p.pairing.teacher_id,
            p.pairing.paraprofessional_id,
            p.pairing.starts_on,
        )
        not in existing
    ]
    if not new:
        return
    bulk_create_with_history([p.pairing for p in new], Pairing, batch_size=500)
    roles, sessions, goals = [], [], []
    for plan in new:
        pairing = plan.pairing
        roles += [SupportRole(pairing=pairing, role=r, tier=t) for r, t in plan.roles]
        for s in plan.sessions:
            s.pairing = pairing
        for g in plan.goals:
            g.pairing = pairing
        sessions += plan.sessions
        goals += plan.goals
    bulk_create_with_history(roles, SupportRole, batch_size=1000)
    MentoringSession.objects.bulk_create(sessions, batch_size=1000)
    Goal.objects.bulk_create(goals, batch_size=1000)
