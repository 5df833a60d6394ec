"""A small, fixed pilot for the report tests: its figures are worked out by hand.

Cohort "Pilot 2025" (last year). Indicators: Classroom Support (CS) 4, Engagement (EN) 3,
Classroom Management (CM) 2. Every score in a form is the same per domain:

district A (Alpha)  P1–P4  baseline 2 everywhere; end CS 3, EN 3, CM 2   (para-led school)
                    P5     baseline 2 everywhere; end 4 everywhere        (teacher-led school)
                    P8     baseline only (active, no end form yet)
                    P9     ended early, baseline only
district B (Beta)   P6–P7  baseline 1 everywhere; end 2 everywhere        (para-led school)

Coursework (offerings of Pilot 2025, 3 credits each): P1–P5 passed a course targeting
CS (A, B, C, P, A); P6 got a D in it; P7 passed a CS course of another cohort.
Mentoring: P1–P5 met in September 2025 (30 min each); P6–P7 in October (45 min each).
Quotes: P1's end form, approved; P2's, pending; P6's, approved.
"""

from dataclasses import dataclass, field
from datetime import date

from mentoring.models import Pairing
from pilot.models import Cohort, School

from .factories import (
    CohortEnrollmentFactory,
    CohortFactory,
    CourseFactory,
    EnrollmentFactory,
    MentoringSessionFactory,
    ObservationFactory,
    OfferingFactory,
    PairingFactory,
    ParaFactory,
    QuoteFactory,
    SchoolFactory,
    current_rubric,
)

CS, EN, CM = "classroom_support", "engagement", "classroom_management"
APPROVED_QUOTE = "Keeps every student in the small group talking about the text."
APPROVED_QUOTE_B = "Asks the students how they will check their own answers."
PENDING_QUOTE = "Still waiting for a coordinator to read this one."


@dataclass
class SmallPilot:
    cohort: Cohort
    pairings: dict[str, Pairing] = field(default_factory=dict)


def scores(cs: int, en: int, cm: int) -> dict[str, int]:
    by_domain = {CS: cs, EN: en, CM: cm}
    return {i.key: by_domain[i.domain.question] for i in current_rubric().indicators.all()}


def _pairing(world, cohort, district: str, school=None, **kwargs) -> Pairing:
    teacher = world.teacher if district == "a" else world.teacher_b
    para = ParaFactory(school=school or teacher.school)
    return PairingFactory(cohort=cohort, teacher=teacher, paraprofessional=para, **kwargs)


def _forms(pairing, baseline: dict | None, end: dict | None, **end_kwargs):
    if baseline is not None:
        ObservationFactory(pairing=pairing, kind="baseline", scores=baseline, submitted=True)
    if end is not None:
        return ObservationFactory(pairing=pairing, kind="end", scores=end, submitted=True)
    return None


def build_small_pilot(world) -> SmallPilot:
    current_rubric()
    cohort = CohortFactory(
        name="Pilot 2025",
        starts_on=date(2025, 8, 1),
        ends_on=date(2026, 6, 30),
        status=Cohort.Status.CLOSED,
    )
    CohortEnrollmentFactory(cohort=cohort, district=world.district_a)
    CohortEnrollmentFactory(cohort=cohort, district=world.district_b)
    teacher_led = SchoolFactory(
        district=world.district_a,
        name="Alpha Middle",
        support_model=School.SupportModel.TEACHER_LED,
    )
    pilot = SmallPilot(cohort)
    ends = {}
    for n in range(1, 5):
        p = pilot.pairings[f"P{n}"] = _pairing(
            world, cohort, "a", status="completed", closed_on=date(2026, 6, 5)
        )
        ends[n] = _forms(p, scores(2, 2, 2), scores(3, 3, 2))
    p5 = pilot.pairings["P5"] = _pairing(world, cohort, "a", school=teacher_led)
    ends[5] = _forms(p5, scores(2, 2, 2), scores(4, 4, 4))
    for n in (6, 7):
        p = pilot.pairings[f"P{n}"] = _pairing(world, cohort, "b")
        ends[n] = _forms(p, scores(1, 1, 1), scores(2, 2, 2))
    p8 = pilot.pairings["P8"] = _pairing(world, cohort, "a")
    _forms(p8, scores(3, 3, 3), None)
    p9 = pilot.pairings["P9"] = _pairing(
        world,
        cohort,
        "a",
        status="ended_early",
        closed_on=date(2025, 12, 1),
        end_reason="Moved away.",
    )
    _forms(p9, scores(1, 1, 1), None)

    QuoteFactory(observation=ends[1], text=APPROVED_QUOTE)
    QuoteFactory(observation=ends[2], text=PENDING_QUOTE, status="pending")
    QuoteFactory(observation=ends[6], text=APPROVED_QUOTE_B)

    cs_course = CourseFactory(college=world.college, code="EDU 130", title="Early literacy")
    cs_course.target_domains.create(domain=CS)
    offering = OfferingFactory(
        course=cs_course, cohort=cohort, starts_on=date(2025, 8, 25), ends_on=date(2025, 12, 12)
    )
    for n, grade in zip(range(1, 6), "ABCPA", strict=True):
        EnrollmentFactory(
            para=pilot.pairings[f"P{n}"].paraprofessional, offering=offering, grade=grade
        )
    EnrollmentFactory(para=pilot.pairings["P6"].paraprofessional, offering=offering, grade="D")
    other = OfferingFactory(course=cs_course, cohort=world.cohort)
    EnrollmentFactory(para=pilot.pairings["P7"].paraprofessional, offering=other, grade="A")

    for n in range(1, 6):
        MentoringSessionFactory(
            pairing=pilot.pairings[f"P{n}"], held_on=date(2025, 9, 10), minutes=30
        )
    for n in (6, 7):
        MentoringSessionFactory(
            pairing=pilot.pairings[f"P{n}"], held_on=date(2025, 10, 8), minutes=45
        )
    return pilot
