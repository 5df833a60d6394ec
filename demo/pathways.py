"""Demo milestones for `seed_demo`: three pilot years, so the pipeline shows movement.

- The first year (2024–2025, closed) ran in the first four districts. Its two
  paraprofessionals of each district's first school continued into the next years. Of its
  alumni, the first earned a credential, passed Praxis 5001 and became a teacher of record
  that August (a yearly check since: still teaching); the second failed Praxis once, passed
  it, and was hired too (checked again: still teaching, except in the first district,
  where they left the district in June 2026: the one who left); the third withdrew (with
  a reason) and the fourth completed the program without passing the assessment. Those
  hired are teachers now: their record's role changed through the staff service, the
  change the pathways hook follows. In the first district the first alumnus teaches in
  the second district under a teacher record of their own there, linked to their
  paraprofessional record.
- Last year (2025–2026, closed): those paired again this year are continuing; of the
  others, every third withdrew (with a reason) and the rest completed the program. Some
  earned a credential (recorded by the college liaison, by exception where the demo's
  coursework does not fill the plan), passed or failed the ParaPro and Praxis
  assessments, and some completers became teachers of record in their district this
  August.
- This year (2026–2027, current) runs to June 2027: no status is recorded for it yet.
- The first district requires a teaching credential before teacher of record.

Everything goes through the services (``pathways.services``, the core's staff services);
a paraprofessional who already has a status for the cohort is left alone (idempotent).
With ``--scale state`` the same pattern repeats over every district.
"""

from datetime import date

from django.db import transaction

from coursework.models import DegreePlan
from demo.core import DemoWorld
from mentoring.models import Pairing
from pathways import services
from pathways.models import CohortStatus, TeacherRecord
from pilot.models import Cohort, Staff, User
from pilot.services.staff import create_staff, set_staff_active, update_staff

REASONS = ["family", "employment", "workload", "finances"]


@transaction.atomic
def seed(world: DemoWorld) -> None:
    coordinator = world.users["coordinator@demo.test"]
    liaison = world.users.get("college@demo.test", coordinator)
    plan = DegreePlan.objects.filter(college=world.college).order_by("total_credits").first()
    services.set_district_rule(
        district=world.districts[0], credential_before_teaching=True, by=coordinator
    )
    _first_year(world, coordinator, liaison, plan)
    _last_year(world, coordinator, liaison, plan)


def _paras(cohort: Cohort) -> list[Staff]:
    """The cohort's paraprofessionals not yet given a status in it, in a stable order."""
    done = CohortStatus.objects.filter(cohort=cohort).values("para_id")
    return list(
        Staff.objects.filter(pairings_as_paraprofessional__cohort=cohort)
        .exclude(pk__in=done)
        .select_related("district", "school")
        .distinct()
        .order_by("id")
    )


def _first_year(world: DemoWorld, coordinator: User, liaison: User, plan: object) -> None:
    first = world.first_cohort
    alumni = {
        a.pk: (district_id, k)
        for district_id, rows in world.alumni.items()
        for k, a in enumerate(rows)
    }
    first_district = world.districts[0].pk
    for para in _paras(first):
        if para.pk not in alumni:  # paired again the next year
            _status(para, first, "continuing", date(2025, 6, 13), coordinator)
            _assessment(para, coordinator, date(2025, 5, 10), passed=True, licensure=False)
            continue
        district_id, k = alumni[para.pk]
        if k == 2:
            _status(
                para,
                first,
                "withdrew",
                date(2025, 2, 7),
                coordinator,
                reason=REASONS[district_id % len(REASONS)],
                note="Took a full-time position outside the schools.",
            )
            set_staff_active(staff=para, active=False)
            continue
        _status(para, first, "completed", date(2025, 6, 13), coordinator)
        if k == 3:
            _assessment(para, coordinator, date(2025, 5, 10), passed=False, licensure=True)
            set_staff_active(staff=para, active=False)
            continue
        if k == 0 and plan is not None:
            services.record_credential(
                para=para,
                plan=plan,
                awarded_on=date(2025, 6, 20),
                by=liaison,
                exception_reason="Demo: credit earned before the pilot, checked by the college.",
            )
        if k == 1:
            _assessment(para, coordinator, date(2025, 4, 12), passed=False, licensure=True)
        _assessment(para, coordinator, date(2025, 6, 7), passed=True, licensure=True)
        if k == 0 and district_id == first_district:
            _teaches_elsewhere(world, para, coordinator)
            continue
        services.record_employment(
            para=para,
            kind="teacher_of_record",
            district=para.district,
            school=para.school,
            occurred_on=date(2025, 8, 11),
            by=coordinator,
        )
        # Their record is a teacher's now (the hire is recorded, so the hook adds none).
        _become_teacher(para, coordinator)
        if k == 1 and district_id == first_district:
            services.record_employment(
                para=para,
                kind="left_district",
                district=para.district,
                occurred_on=date(2026, 6, 30),
                by=coordinator,
            )
            set_staff_active(staff=para, active=False)
            continue
        services.record_employment(
            para=para,
            kind="yearly_check",
            district=para.district,
            still_teaching=True,
            check_year=2027,
            occurred_on=date(2026, 10, 1),
            by=coordinator,
        )


def _teaches_elsewhere(world: DemoWorld, para: Staff, coordinator: User) -> None:
    """The first district's first alumnus teaches in the second district, under a new
    teacher record there linked to their paraprofessional record (which is closed)."""
    district = world.districts[1]
    school = district.schools.order_by("name").first()
    email = f"{para.first_name}.{para.last_name}.teacher@{district.slug}.k12.test".lower()
    teacher = Staff.objects.filter(district=district, email=email).first() or create_staff(
        asked_by=coordinator,
        first_name=para.first_name,
        last_name=para.last_name,
        email=email,
        role=Staff.Role.TEACHER,
        district=district,
        school=school,
        employee_id=f"{para.employee_id}T",  # an alumnus's: not paired by the demo
    )
    if not TeacherRecord.objects.filter(para=para).exists():
        services.link_teacher_record(
            para=para, teacher=teacher, linked_on=date(2025, 8, 11), by=coordinator
        )
    services.record_employment(
        para=para,
        kind="yearly_check",
        district=district,
        still_teaching=True,
        check_year=2027,
        occurred_on=date(2026, 10, 1),
        by=coordinator,
    )
    set_staff_active(staff=para, active=False)


def _become_teacher(para: Staff, by: User) -> None:
    update_staff(
        staff=para,
        asked_by=by,
        first_name=para.first_name,
        last_name=para.last_name,
        email=para.email,
        role=Staff.Role.TEACHER,
        district=para.district,
        school=para.school,
        employee_id=para.employee_id,
    )


def _last_year(world: DemoWorld, coordinator: User, liaison: User, plan: object) -> None:
    past = world.past_cohort
    continuing = set(
        Pairing.objects.filter(cohort=world.cohort).values_list("paraprofessional_id", flat=True)
    )
    finished = 0  # last year's paraprofessionals not paired again, so far
    for n, para in enumerate(_paras(past)):
        if para.pk in continuing:
            _status(para, past, "continuing", date(2026, 6, 15), coordinator)
            _assessment(para, coordinator, date(2026, 5, 9), passed=n % 4 != 2, licensure=False)
            continue
        finished += 1
        if finished % 3 == 0:
            _status(
                para,
                past,
                "withdrew",
                date(2026, 3, 2),
                coordinator,
                reason=REASONS[finished % len(REASONS)],
                note="Told the coordinator at the spring check-in.",
            )
            continue
        _status(para, past, "completed", date(2026, 6, 15), coordinator)
        if plan is not None and n % 2 == 1:
            services.record_credential(
                para=para,
                plan=plan,
                awarded_on=date(2026, 6, 20),
                by=liaison,
                exception_reason="Demo: credit earned before the pilot, checked by the college.",
            )
        passed = n % 4 != 2
        _assessment(para, coordinator, date(2026, 5, 9), passed=passed, licensure=True)
        if passed and n % 2 == 1:
            services.record_employment(
                para=para,
                kind="teacher_of_record",
                district=para.district,
                school=para.school,
                occurred_on=date(2026, 8, 10),
                by=coordinator,
            )


def _status(
    para: Staff,
    cohort: Cohort,
    status: str,
    on: date,
    by: User,
    reason: str = "",
    note: str = "",
) -> None:
    services.record_status(
        para=para, cohort=cohort, status=status, recorded_on=on, by=by, reason=reason, note=note
    )


def _assessment(para: Staff, by: User, on: date, *, passed: bool, licensure: bool) -> None:
    """ParaPro (1755) for those continuing; Praxis (5001) for completers."""
    services.record_assessment(
        para=para,
        kind="licensure" if licensure else "paraprofessional",
        name="Praxis Elementary Education" if licensure else "Praxis ParaPro",
        code="5001" if licensure else "1755",
        taken_on=on,
        passed=passed,
        by=by,
        verified=True,
    )
