"""Every milestone write: keyword-only, validated, one transaction each, with history.

A refusal is a ``ValidationError`` keyed by the form field (or import column) it is about.
The rules: no milestone is dated before the person's first cohort began, nor in the
future; a credential needs every block of its plan met unless the liaison records an
exception with a reason; a teacher of record without a credential by that date is saved
with a warning (returned), not refused.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from coursework import credit
from coursework import queries as coursework_queries
from coursework.models import DegreePlan
from mentoring.models import Pairing
from pilot.models import Cohort, District, School, Staff, User

from .models import (
    Assessment,
    CohortStatus,
    Credential,
    DistrictRule,
    EmploymentEvent,
    TeacherRecord,
)


@dataclass
class Saved:
    """A milestone saved, with the warnings the person recording it should read."""

    record: object
    warnings: list[str] = field(default_factory=list)


def _refuse(problems: dict[str, str]) -> None:
    if problems:
        raise ValidationError(problems)


def first_cohort(para: Staff) -> Cohort | None:
    """The earliest cohort the paraprofessional was paired in."""
    return Cohort.objects.filter(pairings__paraprofessional=para).order_by("starts_on").first()


def date_problems(para: Staff, on: date | None, field_name: str) -> dict[str, str]:
    """Why a milestone of ``para`` cannot be dated ``on``."""
    if on is None:
        return {field_name: "Enter the date."}
    if on > timezone.localdate():
        return {field_name: "The date is in the future."}
    first = first_cohort(para)
    if first is None:
        return {field_name: f"{para.full_name} has not taken part in any cohort yet."}
    if on < first.starts_on:
        return {
            field_name: f"The date is before {para.full_name}'s first cohort began "
            f"({first.name}, {date_format(first.starts_on)})."
        }
    return {}


def was_paraprofessional(staff: Staff) -> bool:
    """A paraprofessional now, or paired as one in some cohort (a teacher since)."""
    return (
        staff.role == Staff.Role.PARAPROFESSIONAL
        or Pairing.objects.filter(paraprofessional=staff).exists()
    )


def _not_para(para: Staff) -> None:
    if not was_paraprofessional(para):
        raise ValidationError({"para": "Milestones are recorded for paraprofessionals."})


@transaction.atomic
def record_status(
    *,
    para: Staff,
    cohort: Cohort,
    status: str,
    recorded_on: date,
    by: User,
    reason: str = "",
    note: str = "",
    milestone: CohortStatus | None = None,
) -> Saved:
    """Set the person's status in a cohort they were paired in (one per cohort)."""
    _not_para(para)
    problems = date_problems(para, recorded_on, "recorded_on")
    if not Pairing.objects.filter(paraprofessional=para, cohort=cohort).exists():
        problems["cohort"] = f"{para.full_name} was not paired in {cohort.name}."
    elif recorded_on and recorded_on < cohort.starts_on and "recorded_on" not in problems:
        problems["recorded_on"] = f"The date is before {cohort.name} began."
    if status == CohortStatus.Status.WITHDREW and not reason:
        problems["reason"] = "Choose why they withdrew."
    if status != CohortStatus.Status.WITHDREW:
        reason = ""
    clash = CohortStatus.objects.filter(para=para, cohort=cohort)
    if milestone is not None:
        clash = clash.exclude(pk=milestone.pk)
    if clash.exists():
        problems.setdefault("cohort", f"A status for {cohort.name} is already recorded.")
    _refuse(problems)
    row = milestone or CohortStatus(para=para)
    row.cohort, row.status, row.reason, row.note = cohort, status, reason, note
    row.recorded_on, row.recorded_by = recorded_on, by
    row.full_clean()
    row.save()
    return Saved(row)


def plan_progress(para: Staff, plan: DegreePlan) -> credit.PlanProgress:
    """How the person's credit fills ``plan`` (coursework's rules)."""
    plan = coursework_queries.plans_with_blocks().get(pk=plan.pk)
    record = coursework_queries.learner_record(para)
    return credit.plan_progress(coursework_queries.plan_rules(plan), record.items)


@transaction.atomic
def record_credential(
    *,
    para: Staff,
    plan: DegreePlan,
    awarded_on: date,
    by: User,
    exception_reason: str = "",
    milestone: Credential | None = None,
) -> Saved:
    """Record a degree or certificate. The plan's blocks must all be met, unless the liaison
    confirms an exception by giving its reason."""
    _not_para(para)
    problems = date_problems(para, awarded_on, "awarded_on")
    progress = plan_progress(para, plan)
    if progress.is_complete:
        exception_reason = ""
    elif not exception_reason.strip():
        missing = [b.block.name for b in progress.blocks if not b.is_complete]
        problems["exception_reason"] = (
            f"The blocks of {plan.name} are not all met ({credit.format_credits(progress.earned)}"
            f" of {credit.format_credits(progress.required)} credits; not met: "
            f"{', '.join(missing) or 'the total'}). To record it anyway, give the reason "
            "for the exception."
        )
    clash = Credential.objects.filter(para=para, plan=plan)
    if milestone is not None:
        clash = clash.exclude(pk=milestone.pk)
    if clash.exists():
        problems["plan"] = f"{plan.name} is already recorded for {para.full_name}."
    _refuse(problems)
    row = milestone or Credential(para=para)
    row.plan, row.awarded_on, row.exception_reason, row.recorded_by = (
        plan,
        awarded_on,
        exception_reason.strip(),
        by,
    )
    row.full_clean()
    row.save()
    return Saved(row)


@transaction.atomic
def record_assessment(
    *,
    para: Staff,
    kind: str,
    name: str,
    code: str,
    taken_on: date,
    passed: bool,
    by: User,
    verified: bool = False,
    milestone: Assessment | None = None,
) -> Saved:
    """Record an assessment. ``verified`` when a coordinator enters it (they vouch for it);
    the person's own entry waits for a coordinator's ``verify_assessment``. A change to a
    verified result by anyone but a coordinator clears the verification."""
    _not_para(para)
    problems = date_problems(para, taken_on, "taken_on")
    if not name.strip():
        problems["name"] = "Enter the assessment's name."
    clash = Assessment.objects.filter(para=para, code=code, taken_on=taken_on)
    if milestone is not None:
        clash = clash.exclude(pk=milestone.pk)
    if code and clash.exists():
        problems["code"] = "This assessment is already recorded on that date."
    _refuse(problems)
    row = milestone or Assessment(para=para, entered_by=by)
    row.kind, row.name, row.code = kind, name.strip(), code.strip()
    row.taken_on, row.passed = taken_on, passed
    if verified:
        row.verified_by, row.verified_on = by, timezone.localdate()
    else:
        row.verified_by, row.verified_on = None, None
    row.full_clean()
    row.save()
    return Saved(row)


@transaction.atomic
def verify_assessment(*, assessment: Assessment, by: User) -> Saved:
    """A coordinator confirms the result the person entered."""
    assessment.verified_by, assessment.verified_on = by, timezone.localdate()
    assessment.save(update_fields=["verified_by", "verified_on", "updated_at"])
    return Saved(assessment)


def requires_credential(district: District) -> bool:
    """Whether ``district`` requires a teaching credential before teacher of record."""
    return DistrictRule.objects.filter(district=district, credential_before_teaching=True).exists()


def _credential_warning(para: Staff, district: District, on: date) -> list[str]:
    if not requires_credential(district):
        return []
    if Credential.objects.filter(para=para, awarded_on__lte=on).exists():
        return []
    return [
        f"No credential is recorded for {para.full_name} on or before {date_format(on)}, and "
        f"{district.name} requires a teaching credential before teacher of record: check "
        "the credential, or the date."
    ]


@transaction.atomic
def set_district_rule(*, district: District, credential_before_teaching: bool, by: User) -> Saved:
    """Say whether ``district`` requires a teaching credential before teacher of record."""
    rule = DistrictRule.objects.filter(district=district).first()
    if rule is not None and rule.credential_before_teaching == credential_before_teaching:
        return Saved(rule)  # unchanged: no new history row
    rule = rule or DistrictRule(district=district)
    rule.credential_before_teaching, rule.changed_by = credential_before_teaching, by
    rule.full_clean()
    rule.save()
    return Saved(rule)


@transaction.atomic
def record_employment(
    *,
    para: Staff,
    kind: str,
    district: District,
    occurred_on: date,
    by: User,
    school: School | None = None,
    still_teaching: bool | None = None,
    check_year: int | None = None,
    milestone: EmploymentEvent | None = None,
) -> Saved:
    """Became a teacher of record (district, school, date), left the district, or a yearly
    check (still teaching yes or no, with the school year)."""
    _not_para(para)
    problems = date_problems(para, occurred_on, "occurred_on")
    warnings: list[str] = []
    Kind = EmploymentEvent.Kind
    if kind == Kind.TEACHER_OF_RECORD:
        if school is None:
            problems["school"] = "Choose the school where they teach."
        elif school.district_id != district.pk:
            problems["school"] = f"{school.name} is not a school of {district.name}."
    else:
        school = None
    if kind == Kind.YEARLY_CHECK:
        if still_teaching is None:
            problems["still_teaching"] = "Say whether they are still teaching."
        if check_year is None:
            problems["check_year"] = "Enter the school year the check is for."
        elif occurred_on and abs(check_year - occurred_on.year) > 1:
            problems["check_year"] = "The year is far from the date of the check."
        hired = EmploymentEvent.objects.filter(para=para, kind=Kind.TEACHER_OF_RECORD)
        if occurred_on and not hired.filter(occurred_on__lte=occurred_on).exists():
            problems.setdefault(
                "kind", "Record when they became a teacher of record before a yearly check."
            )
        clash = EmploymentEvent.objects.filter(para=para, kind=kind, check_year=check_year)
        if milestone is not None:
            clash = clash.exclude(pk=milestone.pk)
        if check_year and clash.exists():
            problems["check_year"] = f"The check for {check_year} is already recorded."
    else:
        still_teaching, check_year = None, None
    _refuse(problems)
    if kind == Kind.TEACHER_OF_RECORD:
        warnings = _credential_warning(para, district, occurred_on)
    row = milestone or EmploymentEvent(para=para)
    row.kind, row.district, row.school, row.occurred_on = kind, district, school, occurred_on
    row.still_teaching, row.check_year, row.recorded_by = still_teaching, check_year, by
    row.full_clean()
    row.save()
    return Saved(row, warnings)


# ---- one person, two records: a paraprofessional who became a teacher -------------------

TEACHER_OF_RECORD = EmploymentEvent.Kind.TEACHER_OF_RECORD


def _hired(para: Staff) -> bool:
    return EmploymentEvent.objects.filter(para=para, kind=TEACHER_OF_RECORD).exists()


def record_role_change(*, staff: Staff, old_role: str, asked_by: User, **_: object) -> list[str]:
    """The core's ``role_changing``, inside the staff save's transaction: a paraprofessional
    of the pilot who becomes a teacher became a teacher of record (their district and
    school, today), unless that is recorded already. A refusal refuses the change."""
    if old_role != Staff.Role.PARAPROFESSIONAL or staff.role != Staff.Role.TEACHER:
        return []
    if not Pairing.objects.filter(paraprofessional=staff).exists() or _hired(staff):
        return []
    try:
        saved = record_employment(
            para=staff,
            kind=TEACHER_OF_RECORD,
            district=staff.district,
            school=staff.school,
            occurred_on=timezone.localdate(),
            by=asked_by,
        )
    except ValidationError as refused:
        raise ValidationError({"role": refused.messages}) from refused
    return [
        f"On {staff.full_name}'s path: became a teacher of record at {staff.school.name}, "
        f"{date_format(timezone.localdate())}.",
        *saved.warnings,
    ]


def link_problems(*, para: Staff, teacher: Staff | None, linked_on: date | None) -> dict:
    problems = date_problems(para, linked_on, "linked_on")
    if teacher is None:
        problems["teacher"] = "No teacher record of yours has that email."
    elif teacher.pk == para.pk:
        problems["teacher"] = "That is this person's own record."
    elif teacher.role != Staff.Role.TEACHER:
        problems["teacher"] = f"{teacher.full_name}'s record is not a teacher's."
    elif TeacherRecord.objects.filter(teacher=teacher).exists():
        problems["teacher"] = f"{teacher.full_name}'s record is already linked to someone."
    if TeacherRecord.objects.filter(para=para).exists():
        problems["teacher"] = f"{para.full_name} is already linked to a teacher record."
    return problems


@transaction.atomic
def link_teacher_record(
    *, para: Staff, teacher: Staff | None, linked_on: date | None, by: User
) -> Saved:
    """``teacher`` (a teacher's record, perhaps in another district) is ``para`` since
    ``linked_on``: a teacher-of-record milestone there is recorded unless one is already."""
    _not_para(para)
    _refuse(link_problems(para=para, teacher=teacher, linked_on=linked_on))
    saved = None
    if not _hired(para):
        saved = record_employment(
            para=para,
            kind=TEACHER_OF_RECORD,
            district=teacher.district,
            school=teacher.school,
            occurred_on=linked_on,
            by=by,
        )
    link = TeacherRecord(
        para=para,
        teacher=teacher,
        linked_on=linked_on,
        milestone=saved.record if saved else None,
        linked_by=by,
    )
    link.full_clean()
    link.save()
    return Saved(link, saved.warnings if saved else [])


@transaction.atomic
def unlink_teacher_record(*, link: TeacherRecord, by: User) -> None:
    """Undo a link, with the milestone it recorded (both keep their history)."""
    link.linked_by = by  # the history's last row says who undid it
    link.save(update_fields=["linked_by", "updated_at"])
    milestone = link.milestone
    link.delete()
    if milestone is not None:
        milestone.delete()
