"""Demo observations for `seed_demo`, over the pairings the mentoring seed made.

The demo's today is November 24, 2026, so:
- last year's cohort (2025–2026): every completed pairing has its baseline, mid-pilot and
  end-of-pilot observations submitted and acknowledged, so growth shows; some comments
  are quotable (approved, declined or waiting); a pairing that ended early has only its
  baseline;
- this year's cohort (2026–2027): most pairings have a baseline (submitted and
  acknowledged, submitted and waiting for the paraprofessional, or still a draft), a few
  have started their mid-pilot draft, a few have nothing yet (the tracker shows them),
  and one was reopened by a coordinator. End-of-pilot forms are due in June 2027.
- the sign-ins: para@demo.test has last year's three observations (growth) and this
  year's baseline waiting for acknowledgement; teacher@demo.test has a mid-pilot draft,
  a reopened baseline and forms due; teacher2@demo.test and para2@demo.test have a
  submitted baseline and mid-pilot with quotes waiting for approval.
Works with whatever pairings exist. Deterministic (each pairing's choices come from a
generator seeded by the pair's names and cohort) and idempotent (a pairing that already
has observations is left alone).
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from demo.core import DemoWorld
from mentoring.models import Pairing
from observations.models import (
    Acknowledgement,
    Indicator,
    Observation,
    Quote,
    Rating,
    Reopening,
    unlocked,
)
from observations.services import ensure_rubric
from pilot.audit import log_access
from pilot.models import AuditEntry

TODAY = date(2026, 11, 24)
Kind, Status = Observation.Kind, Observation.Status

EVIDENCE = {
    "clear-learning-targets": [
        "Opened the reading group with “Today we are learning to find the main idea.”",
        "Pointed back to the posted target twice during the fractions practice.",
        "Students could not say what they were learning when asked mid-lesson.",
    ],
    "effective-feedback": [
        "Told a student exactly which step to redo and watched them fix it.",
        "Feedback was mostly “good job”; few next steps named.",
        "Used the two-stars-and-a-wish routine on exit tickets.",
    ],
    "student-ownership": [
        "Asked “How could you check that?” before giving any help.",
        "Students tracked their own words-per-minute on a chart.",
        "Answered for a hesitant student twice instead of waiting.",
    ],
    "self-teach-self-assess": [
        "Taught the cover-and-check strategy for spelling one-on-one.",
        "Student used the self-check list without being prompted.",
        "Re-explained the lesson rather than teaching a strategy.",
    ],
    "each-students-needs": [
        "Adjusted prompts for the student with an IEP goal on decoding.",
        "Gave the same support to every student in the group.",
        "Shared with the teacher which two students needed more practice.",
    ],
    "many-avenues": [
        "Used base-ten blocks, then a drawing, then the written method.",
        "Switched to a picture card when the verbal explanation did not land.",
        "Drew on a student's interest in soccer to explain ratios.",
    ],
    "reflects-and-applies": [
        "Brought a question from the ED 101 module to our mentoring session.",
        "Tried the questioning technique from last week's course unit.",
        "Set a goal for next month without being asked.",
    ],
    "monitors-continuously": [
        "Circulated among all four stations and redirected quietly.",
        "Stayed at one table; two students off task went unnoticed.",
        "Scanned the room every few minutes during independent work.",
    ],
    "tier1-support": [
        "Followed the lesson plan and reported which students struggled.",
        "Needed a reminder of the plan halfway through the block.",
        "Anticipated the transition and had materials ready.",
    ],
}
STRENGTHS = [
    "Builds warm, trusting relationships; students ask for help readily.",
    "Gives clear, calm directions and keeps the small group moving.",
    "Notices quickly when a student is stuck and responds without taking over.",
    "Uses the intervention materials exactly as designed and keeps good notes.",
    "Students respond well to the consistent routines established for independent work.",
]
GROWTH = [
    "Allow more wait time before prompting.",
    "State the learning target at the start of each small-group session.",
    "Give feedback that names a next step, not only praise.",
    "Monitor the whole room, not only the assigned table.",
    "Let students check their own work before confirming answers.",
]
NEXT_STEPS = [
    "Lead the warm-up twice a week; we will debrief on Fridays.",
    "Try the self-check list with two students and bring notes to mentoring.",
    "Observe a colleague's small group and note one strategy to borrow.",
    "Use the transition signal consistently for two weeks.",
    "Finish the current course module on feedback and try one idea.",
]
RESPONSES = [
    "Thank you — I will work on wait time.",
    "I agree with most of this. I think the noise level was due to the fire drill.",
    "Helpful. Could we practise the feedback routine together next week?",
    "",
    "",
]


def _clamp(score: int) -> int:
    return max(1, min(4, score))


def _when(day: date, hour: int = 15) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 30)))


@dataclass
class Planned:
    observation: Observation
    scores: list[int | None]
    acknowledged_at: datetime | None = None
    response: str = ""
    quotes: list[tuple[str, str]] = field(default_factory=list)  # (comment, status)
    reopen_reason: str = ""


class Planner:
    def __init__(self, world: DemoWorld, indicators: list[Indicator]) -> None:
        self.world = world
        self.indicators = indicators
        self.rubric = indicators[0].rubric
        self.planned: list[Planned] = []

    def observation(
        self,
        rng: random.Random,
        pairing: Pairing,
        kind: str,
        observed_on: date,
        scores: list[int | None],
        *,
        submitted: bool = True,
        acknowledged: bool = False,
        quotes: list[tuple[str, str]] | None = None,
    ) -> Planned:
        submitted_at = _when(observed_on + timedelta(days=rng.randint(0, 3))) if submitted else None
        observation = Observation(
            pairing=pairing,
            kind=kind,
            observed_on=observed_on,
            rubric=self.rubric,
            status=Status.SUBMITTED if submitted else Status.DRAFT,
            submitted_at=submitted_at,
            version=rng.randint(2, 4),
            strengths=rng.choice(STRENGTHS),
            growth=rng.choice(GROWTH) if submitted or rng.random() < 0.5 else "",
            next_steps=rng.choice(NEXT_STEPS) if submitted else "",
            updated_by=pairing.teacher.user,
        )
        plan = Planned(observation, scores, quotes=quotes or [])
        if submitted and acknowledged:
            plan.acknowledged_at = submitted_at + timedelta(days=rng.randint(1, 6), hours=2)
            plan.response = rng.choice(RESPONSES)
        self.planned.append(plan)
        return plan

    def levels(self, rng: random.Random) -> tuple[list[int], list[int], list[int]]:
        """Baseline, mid-pilot and end-of-pilot scores per indicator, mostly growing."""
        start = rng.choice([1, 2, 2, 2, 3])
        baseline = [_clamp(start + rng.choice([-1, 0, 0, 1])) for _ in self.indicators]
        mid = [_clamp(b + rng.choice([0, 0, 1])) for b in baseline]
        end = [_clamp(m + rng.choice([0, 0, 1, 1, 2]) - (rng.random() < 0.08)) for m in mid]
        return baseline, mid, end


def _rng(pairing: Pairing) -> random.Random:
    key = f"{pairing.cohort.name}|{pairing.teacher.email}|{pairing.paraprofessional.email}"
    return random.Random(key)


def _past(planner: Planner, pairing: Pairing) -> None:
    rng = _rng(pairing)
    baseline, mid, end = planner.levels(rng)
    start = pairing.starts_on
    if pairing.status == Pairing.Status.ENDED_EARLY:
        planner.observation(
            rng, pairing, Kind.BASELINE, start + timedelta(days=20), baseline, acknowledged=True
        )
        return
    midpoint = start + (pairing.ends_on - start) / 2
    planner.observation(
        rng,
        pairing,
        Kind.BASELINE,
        start + timedelta(days=rng.randint(12, 28)),
        baseline,
        acknowledged=True,
    )
    planner.observation(
        rng,
        pairing,
        Kind.MID,
        midpoint - timedelta(days=rng.randint(0, 10)),
        mid,
        acknowledged=True,
    )
    quote_status = rng.choice(
        [Quote.Status.APPROVED, Quote.Status.APPROVED, Quote.Status.PENDING, Quote.Status.DECLINED]
    )
    planner.observation(
        rng,
        pairing,
        Kind.END,
        pairing.ends_on - timedelta(days=rng.randint(8, 20)),
        end,
        acknowledged=True,
        quotes=[("strengths", quote_status)] if rng.random() < 0.6 else [],
    )


def _current(planner: Planner, pairing: Pairing) -> None:
    rng = _rng(pairing)
    baseline, mid, _ = planner.levels(rng)
    baseline_day = pairing.starts_on + timedelta(days=rng.randint(14, 35))
    roll = rng.random()
    if roll < 0.12:
        return  # nothing yet: overdue on the tracker
    if roll < 0.22:
        partial = [s if rng.random() < 0.6 else None for s in baseline]
        planner.observation(rng, pairing, Kind.BASELINE, baseline_day, partial, submitted=False)
        return
    quotes = [("growth", Quote.Status.PENDING)] if rng.random() < 0.15 else []
    planner.observation(
        rng,
        pairing,
        Kind.BASELINE,
        baseline_day,
        baseline,
        acknowledged=rng.random() < 0.75,
        quotes=quotes,
    )
    if pairing.status == Pairing.Status.ACTIVE and rng.random() < 0.3:
        partial = [s if rng.random() < 0.5 else None for s in mid]
        planner.observation(
            rng,
            pairing,
            Kind.MID,
            TODAY - timedelta(days=rng.randint(1, 10)),
            partial,
            submitted=False,
        )


def _sign_ins(planner: Planner, pairings: list[Pairing]) -> set[int]:
    """The demo sign-ins' pairings in this year's cohort, in fixed states."""
    staff = planner.world.staff
    teacher, para = staff.get("teacher@demo.test"), staff.get("para@demo.test")
    teacher2, para2 = staff.get("teacher2@demo.test"), staff.get("para2@demo.test")
    done: set[int] = set()
    for pairing in pairings:
        if pairing.cohort_id != planner.world.cohort.pk or pairing.teacher not in (
            teacher,
            teacher2,
        ):
            continue
        rng = _rng(pairing)
        baseline, mid, _ = planner.levels(rng)
        day = pairing.starts_on + timedelta(days=21)
        if pairing.paraprofessional == para:
            # Submitted, waiting for para@demo.test to acknowledge; a mid-pilot draft begun.
            planner.observation(
                rng,
                pairing,
                Kind.BASELINE,
                day,
                baseline,
                quotes=[("strengths", Quote.Status.PENDING)],
            )
            partial = [s if n % 3 else None for n, s in enumerate(mid)]
            planner.observation(
                rng, pairing, Kind.MID, TODAY - timedelta(days=3), partial, submitted=False
            )
        elif pairing.teacher == teacher and pairing.status == Pairing.Status.ACTIVE:
            # Reopened by the coordinator: a draft again, the acknowledgement cleared.
            plan = planner.observation(
                rng, pairing, Kind.BASELINE, day + timedelta(days=7), baseline, acknowledged=True
            )
            plan.reopen_reason = (
                "The evidence notes describe a different paraprofessional's lesson; "
                "please rewrite them before resubmitting."
            )
        elif pairing.teacher == teacher:
            planner.observation(rng, pairing, Kind.BASELINE, day, baseline, acknowledged=True)
        elif pairing.paraprofessional == para2:
            planner.observation(
                rng,
                pairing,
                Kind.BASELINE,
                day,
                baseline,
                acknowledged=True,
                quotes=[("strengths", Quote.Status.APPROVED)],
            )
            planner.observation(
                rng,
                pairing,
                Kind.MID,
                TODAY - timedelta(days=6),
                mid,
                quotes=[("next_steps", Quote.Status.PENDING), ("growth", Quote.Status.PENDING)],
            )
        else:
            continue
        done.add(pairing.pk)
    return done


@transaction.atomic
def seed(world: DemoWorld) -> None:
    rubric = ensure_rubric()
    indicators = list(
        Indicator.objects.filter(rubric=rubric)
        .select_related("rubric")
        .order_by("domain__position", "position")
    )
    pairings = list(
        Pairing.objects.filter(
            cohort__in=[world.cohort, world.past_cohort], observations__isnull=True
        )
        .select_related("cohort", "teacher__user", "paraprofessional__user")
        .order_by("id")
    )
    if not pairings:
        return
    planner = Planner(world, indicators)
    special = _sign_ins(planner, pairings)
    for pairing in pairings:
        if pairing.pk in special:
            continue
        if pairing.cohort_id == world.past_cohort.pk:
            _past(planner, pairing)
        else:
            _current(planner, pairing)
    _write(planner, world)


def _write(planner: Planner, world: DemoWorld) -> None:
    plans = planner.planned
    observations = bulk_create_with_history(
        [p.observation for p in plans], Observation, batch_size=500
    )
    for plan, observation in zip(plans, observations, strict=True):
        plan.observation = observation
    rng = random.Random("observations-evidence")
    ratings = []
    for plan in plans:
        for indicator, score in zip(planner.indicators, plan.scores, strict=True):
            evidence = rng.choice(EVIDENCE.get(indicator.key, [""])) if score else ""
            ratings.append(
                Rating(
                    observation=plan.observation,
                    indicator=indicator,
                    score=score,
                    evidence=evidence,
                )
            )
    Rating.objects.bulk_create(ratings, batch_size=2000)
    acknowledgements, quotes = [], []
    for plan in plans:
        o = plan.observation
        para_user = o.pairing.paraprofessional.user
        if plan.acknowledged_at:
            acknowledgements.append(
                Acknowledgement(
                    observation=o,
                    acknowledged_by=para_user,
                    acknowledged_at=plan.acknowledged_at,
                    response=plan.response,
                )
            )
        for comment, status in plan.quotes:
            text = getattr(o, comment) or o.strengths
            decided = status != Quote.Status.PENDING
            quotes.append(
                Quote(
                    observation=o,
                    comment=comment,
                    text=text,
                    status=status,
                    consented_by=o.pairing.teacher.user,
                    decided_by=world.users.get("coordinator@demo.test") if decided else None,
                    decided_at=(o.submitted_at + timedelta(days=9)) if decided else None,
                )
            )
    Acknowledgement.objects.bulk_create(acknowledgements, batch_size=1000)
    Quote.objects.bulk_create(quotes, batch_size=1000)
    coordinator = world.users.get("coordinator@demo.test")
    for plan in plans:
        if plan.reopen_reason:
            _reopen(plan, coordinator)


def _reopen(plan: Planned, coordinator) -> None:
    o = plan.observation
    Reopening.objects.create(
        observation=o,
        reopened_by=coordinator,
        reopened_at=min(_when(TODAY - timedelta(days=2), 10), timezone.now()),
        reason=plan.reopen_reason,
        previously_submitted_at=o.submitted_at,
        cleared_acknowledged_at=plan.acknowledged_at,
        cleared_response=plan.response,
    )
    Acknowledgement.objects.filter(observation=o).delete()
    # What reopen_observation does, without its email: a draft again, the version moved on.
    o.status, o.submitted_at = Status.DRAFT, None
    o.version += 1
    o.updated_by = coordinator
    with unlocked(o):
        o.save()
    if coordinator is not None:
        log_access(
            coordinator,
            AuditEntry.Action.REOPEN,
            f"{o.get_kind_display()} observation {o.uuid} of {o.pairing.paraprofessional}",
            detail=plan.reopen_reason,
        )
