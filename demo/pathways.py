"""Demo milestones for `seed_demo`: the pipeline from last year's cohort onward.

Last year's paraprofessionals (in every district, ordered by id, so the same on each run):
those paired again this year are continuing; of the others, every third withdrew (with a
reason) and the rest completed the program. Some earned a credential (the college
liaison records it, by exception where the demo's coursework does not fill the plan),
passed or failed the ParaPro and Praxis assessments, and a few of the completers became
teachers of record in their district this August; one of them has since left the
district. Everything goes through ``pathways.services``; a para who already has a status
for last year's cohort is left alone (idempotent). With ``--scale state`` the same pattern
repeats over every district.
"""

from datetime import date

from django.db import transaction

from coursework.models import DegreePlan
from demo.core import DemoWorld
from mentoring.models import Pairing
from pathways import services
from pathways.models import CohortStatus
from pilot.models import Staff

REASONS = ["family", "employment", "workload", "finances"]


@transaction.atomic
def seed(world: DemoWorld) -> None:
    coordinator = world.users["coordinator@demo.test"]
    liaison = world.users.get("college@demo.test", coordinator)
    past = world.past_cohort
    plan = DegreePlan.objects.filter(college=world.college).order_by("total_credits").first()
    done = set(CohortStatus.objects.filter(cohort=past).values_list("para_id", flat=True))
    continuing = set(
        Pairing.objects.filter(cohort=world.cohort).values_list("paraprofessional_id", flat=True)
    )
    paras = (
        Staff.objects.filter(pairings_as_paraprofessional__cohort=past)
        .select_related("district", "school")
        .distinct()
        .order_by("id")
    )
    leavers = 0
    finished = 0  # last year's paraprofessionals not paired again, so far
    for n, para in enumerate(paras):
        if para.pk in done:
            continue
        if para.pk in continuing:
            services.record_status(
                para=para,
                cohort=past,
                status="continuing",
                recorded_on=date(2026, 6, 15),
                by=coordinator,
            )
            _assessment(para, coordinator, n, licensure=False)
            continue
        finished += 1
        if finished % 3 == 0:
            services.record_status(
                para=para,
                cohort=past,
                status="withdrew",
                reason=REASONS[finished % len(REASONS)],
                note="Told the coordinator at the spring check-in.",
                recorded_on=date(2026, 3, 2),
                by=coordinator,
            )
            continue
        services.record_status(
            para=para,
            cohort=past,
            status="completed",
            recorded_on=date(2026, 6, 15),
            by=coordinator,
        )
        if plan is not None and n % 2 == 1:
            services.record_credential(
                para=para,
                plan=plan,
                awarded_on=date(2026, 6, 20),
                by=liaison,
                exception_reason="Demo: credit earned before the pilot, checked by the college.",
            )
        passed = _assessment(para, coordinator, n, licensure=True)
        if passed and n % 2 == 1:
            services.record_employment(
                para=para,
                kind="teacher_of_record",
                district=para.district,
                school=para.school,
                occurred_on=date(2026, 8, 10),
                by=coordinator,
            )
            if leavers == 0:
                leavers += 1
                services.record_employment(
                    para=para,
                    kind="left_district",
                    district=para.district,
                    occurred_on=date(2026, 11, 2),
                    by=coordinator,
                )


def _assessment(para: Staff, by: object, n: int, *, licensure: bool) -> bool:
    """ParaPro for those continuing; Praxis for completers, one in four not passing."""
    passed = n % 4 != 2
    services.record_assessment(
        para=para,
        kind="licensure" if licensure else "paraprofessional",
        name="Praxis Elementary Education" if licensure else "Praxis ParaPro",
        code="5001" if licensure else "1755",
        taken_on=date(2026, 5, 9),
        passed=passed,
        by=by,
        verified=True,
    )
    return passed
