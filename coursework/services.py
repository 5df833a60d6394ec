"""Writes that touch several rows: each is one transaction, all or nothing."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from pilot.models import Staff, User

from .models import (
    BlockCourse,
    DegreePlan,
    Enrollment,
    Module,
    ModuleCompletion,
    Offering,
    PlanDeclaration,
    RequirementBlock,
    TransferCredit,
)


@transaction.atomic
def enroll(offering: Offering, paras: Iterable[Staff], by: User | None = None) -> list[Enrollment]:
    """Enroll paraprofessionals in an offering; those already in it are left alone."""
    already = set(offering.enrollments.values_list("para_id", flat=True))
    paras = [p for p in paras if p.pk not in already]
    if any(p.role != Staff.Role.PARAPROFESSIONAL for p in paras):
        raise ValueError("Only paraprofessionals enroll in courses.")
    new = [Enrollment(offering=offering, para=p) for p in paras]
    return bulk_create_with_history(
        new, Enrollment, default_user=by, default_change_reason="enrolled"
    )


def apply_grade(
    enrollment: Enrollment, grade: str, completed_on: date | None, default: date
) -> None:
    """Give an enrollment a grade from the scale ("" for none yet); the grade sets the
    status. A final grade takes ``completed_on``, else the date it already had, else
    ``default``; any other status has no completion date."""
    status = Enrollment.status_for(grade)
    if status == Enrollment.Status.COMPLETED:
        kept = enrollment.completed_on if enrollment.status == Enrollment.Status.COMPLETED else None
        enrollment.completed_on = completed_on or kept or default
    else:
        enrollment.completed_on = None
    enrollment.grade = grade
    enrollment.status = status


@transaction.atomic
def save_imported_enrollments(
    new: list[Enrollment], changed: list[Enrollment], by: User | None, reason: str
) -> None:
    """Write an import's enrollments (grades already applied with ``apply_grade``), keeping
    their history, in one transaction."""
    if any(e.para.role != Staff.Role.PARAPROFESSIONAL for e in new):
        raise ValueError("Only paraprofessionals enroll in courses.")
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
        apply_grade(enrollment, grade, None, completed_on)
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


def set_module_done(enrollment: Enrollment, module: Module, done: bool) -> None:
    """Mark one module of an open enrollment done (today) or not done."""
    if module.offering_id != enrollment.offering_id:
        raise ValueError("That module belongs to another offering.")
    if done:
        ModuleCompletion.objects.get_or_create(
            enrollment=enrollment,
            module=module,
            defaults={"offering_id": enrollment.offering_id, "completed_on": timezone.localdate()},
        )
    else:
        ModuleCompletion.objects.filter(enrollment=enrollment, module=module).delete()


def verify_transfer_credit(credit: TransferCredit, by: User, equivalent_course=None) -> None:
    credit.equivalent_course = equivalent_course
    credit.verified_at = timezone.now()
    credit.verified_by = by
    credit.save(update_fields=["equivalent_course", "verified_at", "verified_by", "updated_at"])


def declare_plan(para: Staff, plan: DegreePlan) -> PlanDeclaration:
    declaration, _ = PlanDeclaration.objects.update_or_create(
        para=para, defaults={"plan": plan, "declared_on": timezone.localdate()}
    )
    return declaration


@transaction.atomic
def save_plan(plan: DegreePlan, blocks: list[dict]) -> DegreePlan:
    """Save a plan and replace its blocks. Each block dict holds ``instance`` (an existing
    block or None), ``delete``, ``name``, ``credits_required``, ``order``, ``is_open`` and
    ``courses``. The database keeps a course to one block per plan."""
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
