"""Every coursework write: keyword-only, validated, one transaction each.

A refusal is a ``ValidationError`` keyed by the form field (or import column) it is
about; the rule helpers (``*_problems``) let a form, a view or an import row show the same
message before saving.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from pilot.models import Cohort, College, Staff, User
from pilot.services.program import cohort_closed_problem, refuse_if_closed

from .credit import format_credits
from .models import (
    FINAL_GRADES,
    PARA_ONLY,
    BlockCourse,
    Course,
    CourseDomain,
    DegreePlan,
    Enrollment,
    Module,
    ModuleCompletion,
    Offering,
    PlanDeclaration,
    RequirementBlock,
    TransferCredit,
)


def _refuse(problems: dict[str, str]) -> None:
    if problems:
        raise ValidationError(problems)


# -- the catalog -----------------------------------------------------------------------


def course_problems(*, college: College | None, code: str | None, course: Course) -> dict:
    """Why a course cannot take this code at this college (codes match in any case)."""
    if college and code:
        clash = Course.objects.filter(college=college, code__iexact=code).exclude(pk=course.pk)
        if clash.exists():
            return {"code": "This college already has a course with that code."}
    return {}


@transaction.atomic
def save_course(*, course: Course, domains: Iterable[str]) -> Course:
    """Save a course (new or changed) and the pilot questions it targets."""
    _refuse(course_problems(college=course.college, code=course.code, course=course))
    course.save()
    wanted = set(domains)
    course.target_domains.exclude(domain__in=wanted).delete()
    have = set(course.target_domains.values_list("domain", flat=True))
    CourseDomain.objects.bulk_create(
        CourseDomain(course=course, domain=d) for d in sorted(wanted - have)
    )
    return course


# -- offerings and modules ---------------------------------------------------------------


def offering_problems(
    *,
    offering: Offering,
    course: Course | None,
    cohort: Cohort | None,
    term: str | None,
    section: str | None,
    starts_on: date | None,
    ends_on: date | None,
) -> dict:
    """Why an offering cannot have these dates or this section, or be in this cohort: its
    dates are ordered and fall inside its cohort, as a pairing's do."""
    problems = {}
    stored = Offering.objects.filter(pk=offering.pk).values_list("cohort", flat=True).first()
    for closing in (cohort, Cohort.objects.filter(pk=stored).first() if stored else None):
        if closing is not None and (closed := cohort_closed_problem(closing)):
            problems["cohort"] = closed
    if starts_on and ends_on and ends_on < starts_on:
        problems["ends_on"] = "The end date cannot be before the start date."
    if cohort is not None:
        span = f"{_day(cohort.starts_on)} – {_day(cohort.ends_on)}"
        if starts_on and not cohort.starts_on <= starts_on <= cohort.ends_on:
            problems["starts_on"] = f"Start within the cohort ({span})."
        if (
            ends_on
            and "ends_on" not in problems
            and not cohort.starts_on <= ends_on <= cohort.ends_on
        ):
            problems["ends_on"] = f"End within the cohort ({span})."
    key = {"course": course, "cohort": cohort, "term": term, "section": section}
    if all(key.values()) and Offering.objects.filter(**key).exclude(pk=offering.pk).exists():
        problems["section"] = "This section of the course is already offered then."
    return problems


def _offering_fields(offering: Offering) -> dict[str, Any]:
    return {
        "course": offering.course if offering.course_id else None,
        "cohort": offering.cohort if offering.cohort_id else None,
        **{f: getattr(offering, f) for f in ("term", "section", "starts_on", "ends_on")},
    }


@transaction.atomic
def save_offering(*, offering: Offering) -> Offering:
    _refuse(offering_problems(offering=offering, **_offering_fields(offering)))
    offering.save()
    return offering


def module_problems(*, module: Module, order: int | None, due_on: date | None) -> dict:
    """Why a module cannot take this position or due date in its offering."""
    problems = {}
    offering = module.offering
    if order is not None:
        clash = Module.objects.filter(offering=offering, order=order).exclude(pk=module.pk)
        if clash.exists():
            problems["order"] = "Another module of this offering has that position."
    if due_on and not offering.starts_on <= due_on <= offering.ends_on:
        problems["due_on"] = (
            f"Choose a date within the offering ({date_format(offering.starts_on)} – "
            f"{date_format(offering.ends_on)})."
        )
    return problems


@transaction.atomic
def save_module(*, module: Module) -> Module:
    refuse_if_closed(module.offering.cohort)
    _refuse(module_problems(module=module, order=module.order, due_on=module.due_on))
    module.save()
    return module


# -- enrollment and grades ----------------------------------------------------------------


@transaction.atomic
def enroll(
    *, offering: Offering, paras: Iterable[Staff], by: User | None = None
) -> list[Enrollment]:
    """Enroll paraprofessionals in an offering; those already in it are left alone."""
    refuse_if_closed(offering.cohort)
    already = set(offering.enrollments.values_list("para_id", flat=True))
    paras = [p for p in paras if p.pk not in already]
    if any(p.role != Staff.Role.PARAPROFESSIONAL for p in paras):
        raise ValidationError({"paras": PARA_ONLY})
    new = [Enrollment(offering=offering, para=p) for p in paras]
    return bulk_create_with_history(
        new, Enrollment, default_user=by, default_change_reason="enrolled"
    )


DROP_GRADED = (
    "This enrollment has a grade, so it stays on the record: record W (withdrawn) "
    "instead of dropping it."
)


@transaction.atomic
def drop_enrollment(*, enrollment: Enrollment, by: User | None = None) -> None:
    """Take back an enrollment made by mistake or before the course began; its module
    ticks go with it. The history keeps who dropped it and when. A graded enrollment (W
    and I included) is part of the record and is refused."""
    if enrollment.grade:
        raise ValidationError({"enrollment": DROP_GRADED})
    enrollment._history_user = by
    enrollment._change_reason = "dropped"
    enrollment.delete()


FINAL_ONLY_DATED = (
    "Only a final grade (A, B, C, D, F or P) has a completed date: leave it empty for W, I "
    "or no grade yet."
)


def _day(d: date) -> str:
    return date_format(d)


def grade_problems(
    *,
    grade: str,
    completed_on: date | None,
    recorded_on: date | None,
    offering: Offering | None,
) -> dict:
    """Why an enrollment cannot take this grade with this completed date (``None``: no
    date given). The date it already has (``recorded_on``) is not checked again; without
    the offering (not known yet) the start is not checked."""
    if completed_on is None:
        return {}
    if grade not in FINAL_GRADES:
        return {"completed_on": FINAL_ONLY_DATED}
    if completed_on == recorded_on:
        return {}
    if completed_on > timezone.localdate():
        return {"completed_on": f"{date_format(completed_on)} is in the future."}
    if offering is not None and completed_on < offering.starts_on:
        return {
            "completed_on": f"{date_format(completed_on)} is before the offering started "
            f"({_day(offering.starts_on)})."
        }
    return {}


def apply_grade(
    *, enrollment: Enrollment, grade: str, completed_on: date | None, default: date
) -> None:
    """Give an enrollment a grade from the scale ("" for none yet); the grade sets the
    status. A final grade takes ``completed_on``, else the date it already had, else
    ``default``; any other status has no completion date. Refused when the grade and date
    break a rule of ``grade_problems``, or (on ``cohort``) when the offering's cohort is
    closed."""
    if closed := cohort_closed_problem(enrollment.offering.cohort):
        raise ValidationError({"cohort": closed})
    recorded = enrollment.completed_on if enrollment.status == Enrollment.Status.COMPLETED else None
    _refuse(
        grade_problems(
            grade=grade,
            completed_on=completed_on,
            recorded_on=recorded,
            offering=enrollment.offering,
        )
    )
    status = Enrollment.status_for(grade)
    if status == Enrollment.Status.COMPLETED:
        enrollment.completed_on = completed_on or recorded or default
    else:
        enrollment.completed_on = None
    enrollment.grade = grade
    enrollment.status = status


@transaction.atomic
def save_imported_enrollments(
    *, new: list[Enrollment], changed: list[Enrollment], by: User | None, reason: str
) -> None:
    """Write an import's enrollments (grades already applied with ``apply_grade``), keeping
    their history, in one transaction."""
    if any(e.para.role != Staff.Role.PARAPROFESSIONAL for e in new):
        raise ValidationError({"para": PARA_ONLY})
    if new:
        bulk_create_with_history(
            new, Enrollment, batch_size=1000, default_user=by, default_change_reason=reason
        )
    if changed:
        now = timezone.now()
        for enrollment in changed:
            enrollment.updated_at = now
        bulk_update_with_history(
            changed,
            Enrollment,
            ["grade", "status", "completed_on", "updated_at"],
            batch_size=1000,
            default_user=by,
            default_change_reason=reason,
        )


class GradeEdit(NamedTuple):
    """A grade the roster page changed, and the row's last-change stamp (``updated_at``)
    when the page was loaded."""

    grade: str
    loaded_at: datetime


@dataclass(frozen=True)
class ChangedRow:
    """A row saved elsewhere after the page was loaded: as it is now, and by whom."""

    enrollment: Enrollment
    by: User | None


class GradesChangedElsewhere(Exception):
    """A roster save refused, writing nothing: rows it would write were saved elsewhere
    after the page was loaded."""

    def __init__(self, rows: list[ChangedRow]) -> None:
        self.rows = rows
        names = [row.enrollment.para.full_name for row in rows]
        listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        one = len(rows) == 1
        super().__init__(
            f"Nothing was saved: the grade{'' if one else 's'} of {listed} "
            f"{'was' if one else 'were'} saved elsewhere after you loaded this page. "
            f"{'Its row shows' if one else 'Their rows show'} the grade saved there; check "
            f"{'it' if one else 'them'}, then save again."
        )


def _changed_rows(stale: list[Enrollment]) -> list[ChangedRow]:
    """The rows, with who saved each last (from its newest history entry; one query)."""
    latest = (
        Enrollment.history.filter(id__in=[e.pk for e in stale])
        .order_by("id", "-history_date", "-history_id")
        .distinct("id")
        .select_related("history_user")
    )
    by = {h.id: h.history_user for h in latest}
    return [ChangedRow(e, by.get(e.pk)) for e in stale]


@transaction.atomic
def record_grades(
    *,
    offering: Offering,
    edits: Mapping[int, GradeEdit],
    completed_on: date,
    by: User | None = None,
) -> int:
    """Write the grades a roster page changed, in one transaction.

    ``edits`` maps enrollment id to the grade typed (already on the scale, "" for none
    yet) and the row's stamp when the page was loaded; rows the page did not change are
    not in it and are never written. The grade sets the status; a newly final grade takes
    ``completed_on``. Refused, writing nothing, when any of these rows was saved after its
    stamp (``GradesChangedElsewhere``): saving would put back the grade someone else
    replaced. Returns how many enrollments changed.
    """
    refuse_if_closed(offering.cohort)
    # Locked in id order, so two saves of overlapping rows cannot deadlock.
    enrollments = list(
        offering.enrollments.select_for_update(of=("self",))
        .select_related("para")
        .filter(pk__in=list(edits))
        .order_by("pk")
    )
    stale = [e for e in enrollments if e.updated_at != edits[e.pk].loaded_at]
    if stale:
        raise GradesChangedElsewhere(_changed_rows(stale))
    changed = []
    now = timezone.now()
    for enrollment in enrollments:
        grade = edits[enrollment.pk].grade
        if grade == enrollment.grade:
            continue
        apply_grade(enrollment=enrollment, grade=grade, completed_on=None, default=completed_on)
        enrollment.updated_at = now
        changed.append(enrollment)
    if changed:
        bulk_update_with_history(
            changed,
            Enrollment,
            ["grade", "status", "completed_on", "updated_at"],
            default_user=by,
            default_change_reason="grades recorded",
        )
    return len(changed)


@transaction.atomic
def set_module_done(*, enrollment: Enrollment, module: Module, done: bool) -> None:
    """Mark one module of an enrollment done (today) or not done."""
    refuse_if_closed(enrollment.offering.cohort)
    if module.offering_id != enrollment.offering_id:
        raise ValidationError({"module": "That module belongs to another offering."})
    if done:
        ModuleCompletion.objects.get_or_create(
            enrollment=enrollment,
            module=module,
            defaults={"offering_id": enrollment.offering_id, "completed_on": timezone.localdate()},
        )
    else:
        ModuleCompletion.objects.filter(enrollment=enrollment, module=module).delete()


# -- transfer credit ------------------------------------------------------------------------


def transfer_credit_problems(*, completed_on: date | None) -> dict:
    if completed_on and completed_on > timezone.localdate():
        return {"completed_on": "Transfer credit is for courses already completed."}
    return {}


@transaction.atomic
def submit_transfer_credit(*, credit: TransferCredit) -> TransferCredit:
    """A paraprofessional's claim of credit earned elsewhere, for its college to verify."""
    _refuse(transfer_credit_problems(completed_on=credit.completed_on))
    credit.save()
    return credit


@transaction.atomic
def verify_transfer_credit(
    *, credit: TransferCredit, by: User, equivalent_course: Course | None = None
) -> None:
    credit.equivalent_course = equivalent_course
    credit.verified_at = timezone.now()
    credit.verified_by = by
    credit.save(update_fields=["equivalent_course", "verified_at", "verified_by", "updated_at"])


@transaction.atomic
def decline_transfer_credit(*, credit: TransferCredit) -> None:
    credit.delete()


# -- degree plans ---------------------------------------------------------------------------


@transaction.atomic
def declare_plan(*, para: Staff, plan: DegreePlan) -> PlanDeclaration:
    declaration, _ = PlanDeclaration.objects.update_or_create(
        para=para, defaults={"plan": plan, "declared_on": timezone.localdate()}
    )
    return declaration


SHARED_BLOCK_NAME = "Two blocks of a plan cannot share a name."
NO_BLOCK = "A plan needs at least one requirement block."


ALL_BLOCKS = "blocks"  # how a refusal names the blocks as a whole


def block_key(index: int, field: str) -> str:
    """How a refusal names a field of the ``index``-th block given to ``save_plan``."""
    return f"{ALL_BLOCKS}.{index}.{field}"


def block_problems(*, blocks: list[dict]) -> dict[str, list[str]]:
    """Why these blocks cannot make a plan: two kept blocks share a name (in any case), a
    course counts toward two of them, or none is kept."""
    problems: dict[str, list[str]] = {}
    names: set[str] = set()
    counted_in: dict[int, str] = {}  # course id -> the block it counts toward
    kept = 0
    for index, data in enumerate(blocks):
        if data.get("delete"):
            continue
        kept += 1
        name = data["name"].strip().lower()
        if name in names:
            problems.setdefault(block_key(index, "name"), []).append(SHARED_BLOCK_NAME)
        names.add(name)
        for course in data["courses"]:
            if course.pk in counted_in:
                problems.setdefault(block_key(index, "courses"), []).append(
                    f"{course.code} already counts toward “{counted_in[course.pk]}”: "
                    "a course counts toward a plan once."
                )
            counted_in[course.pk] = data["name"]
    if not kept:
        problems[ALL_BLOCKS] = [NO_BLOCK]
    return problems


def plan_problems(*, plan: DegreePlan, blocks: list[dict]) -> dict:
    """Why a plan cannot have these blocks: the blocks' own rules (``block_problems``)
    first; then they must add up to its total, and count only courses of its own college."""
    problems = block_problems(blocks=blocks)
    if problems:
        return problems
    kept = [b for b in blocks if not b.get("delete")]
    total = sum((b["credits_required"] for b in kept), Decimal("0"))
    if total != plan.total_credits:
        return {
            "total_credits": f"The requirement blocks add up to {format_credits(total)} "
            "credits: make the total match."
        }
    foreign = [c for b in kept for c in b["courses"] if c.college_id != plan.college_id]
    if foreign:
        return {"college": f"{foreign[0]} is a course of another college."}
    return {}


@transaction.atomic
def save_plan(*, plan: DegreePlan, blocks: list[dict]) -> DegreePlan:
    """Save a plan and replace its blocks. Each block dict holds ``instance`` (an existing
    block or None), ``delete``, ``name``, ``credits_required``, ``order``, ``is_open`` and
    ``courses``. Refused (``plan_problems``; a block's field keyed by ``block_key``) unless
    the blocks kept have distinct names, count each course once and add up to the plan's
    total. The database keeps a course to one block per plan as well."""
    _refuse(plan_problems(plan=plan, blocks=blocks))
    plan.save()
    kept: list[tuple[RequirementBlock, list]] = []
    for data in blocks:
        block = data.get("instance")
        if data.get("delete"):
            if block is not None and block.pk:
                block.delete()
            continue
        block = block or RequirementBlock(plan=plan)
        block.plan = plan
        for name in ("name", "credits_required", "order", "is_open"):
            setattr(block, name, data[name])
        block.save()
        kept.append((block, list(data["courses"])))
    # Replace the eligible courses only after every block is saved, so moving a course
    # from one block to another never trips the one-block-per-plan rule.
    BlockCourse.objects.filter(plan=plan).delete()
    BlockCourse.objects.bulk_create(
        BlockCourse(block=block, plan=plan, course=course)
        for block, courses in kept
        for course in courses
    )
    return plan
