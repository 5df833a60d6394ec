"""Reads that shape coursework for pages: each runs a fixed number of queries."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from pilot.models import Cohort, District, Staff
from pilot.reporting.tables import MIN_GROUP
from pilot.summaries import kept

from . import credit
from .models import (
    PASSING_GRADES,
    CohortCredits,
    DegreePlan,
    Enrollment,
    Module,
    ModuleCompletion,
    Offering,
    PlanDeclaration,
    RequirementBlock,
    TransferCredit,
)

PASSED = Q(status=Enrollment.Status.COMPLETED, grade__in=sorted(PASSING_GRADES))


def plans_with_blocks() -> QuerySet[DegreePlan]:
    """Degree plans with their blocks and each block's eligible courses (3 queries)."""
    return DegreePlan.objects.select_related("college").prefetch_related(
        Prefetch(
            "blocks",
            queryset=RequirementBlock.objects.order_by("order", "id").prefetch_related("courses"),
        )
    )


def plan_rules(plan: DegreePlan) -> credit.Plan:
    """A plan (fetched by ``plans_with_blocks``) as the credit module's record."""
    return credit.Plan(
        name=plan.name,
        total=plan.total_credits,
        blocks=tuple(
            credit.Block(
                key=block.pk,
                name=block.name,
                required=block.credits_required,
                course_ids=frozenset(c.pk for c in block.courses.all()),
                is_open=block.is_open,
            )
            for block in plan.blocks.all()
        ),
    )


@dataclass
class LearnerRecord:
    """Everything credit-bearing about one paraprofessional."""

    para: Staff
    enrollments: list[Enrollment]
    transfers: list[TransferCredit]
    items: list[credit.CreditItem]

    @property
    def earned(self) -> Decimal:
        return credit.total_earned(self.items)

    @property
    def in_progress(self) -> Decimal:
        return credit.total_in_progress(self.items)

    @property
    def completed(self) -> list[Enrollment]:
        return [e for e in self.enrollments if e.status != Enrollment.Status.ENROLLED]

    @property
    def current(self) -> list[Enrollment]:
        return [e for e in self.enrollments if e.status == Enrollment.Status.ENROLLED]

    @property
    def gpa(self) -> Decimal | None:
        return credit.grade_point_average(
            (e.grade, e.offering.course.credit_hours) for e in self.enrollments
        )


def _credit_items(
    enrollments: list[Enrollment], transfers: list[TransferCredit]
) -> list[credit.CreditItem]:
    """One person's credit items (``select_related`` course on the enrollments)."""
    return credit.credit_items(
        (
            credit.EnrollmentFacts(
                course_id=e.offering.course_id,
                label=str(e.offering.course),
                credit_hours=e.offering.course.credit_hours,
                status=e.status,
                grade=e.grade,
            )
            for e in enrollments
        ),
        (
            credit.TransferFacts(
                key=str(t.uuid),
                label=f"{t.course_title} (transfer, {t.institution})",
                credit_hours=t.credit_hours,
                verified=t.is_verified,
                equivalent_course_id=t.equivalent_course_id,
            )
            for t in transfers
        ),
    )


def credits_earned(paras: list[Staff]) -> dict[int, Decimal]:
    """Each person's "credits earned" as their transcript counts it (passed courses, each
    once, and verified transfer credit): two queries for any number of people."""
    enrollments: dict[int, list[Enrollment]] = {p.pk: [] for p in paras}
    transfers: dict[int, list[TransferCredit]] = {p.pk: [] for p in paras}
    for e in Enrollment.objects.filter(para__in=paras).select_related("offering__course"):
        enrollments[e.para_id].append(e)
    for t in TransferCredit.objects.filter(para__in=paras, verified_at__isnull=False):
        transfers[t.para_id].append(t)
    return {
        pk: credit.total_earned(_credit_items(enrollments[pk], transfers[pk])) for pk in enrollments
    }


def learner_record(para: Staff, *, with_modules: bool = False) -> LearnerRecord:
    """The para's enrollments (with offering, course and college) and transfer credit:
    two queries, plus two for the modules and completions when asked."""
    enrollments = Enrollment.objects.filter(para=para).select_related(
        "offering__course__college", "offering__cohort"
    )
    if with_modules:
        enrollments = enrollments.prefetch_related(
            Prefetch("offering__modules", queryset=Module.objects.order_by("order")),
            Prefetch(
                "completions",
                queryset=ModuleCompletion.objects.only("id", "module_id", "enrollment_id"),
            ),
        )
    enrollments = list(enrollments.order_by("offering__starts_on", "offering__course__code"))
    transfers = list(
        TransferCredit.objects.filter(para=para)
        .select_related("college", "equivalent_course")
        .order_by("created_at")
    )
    items = _credit_items(enrollments, transfers)
    if with_modules:
        for e in enrollments:
            done = {c.module_id for c in e.completions.all()}
            e.module_rows = [(m, m.pk in done) for m in e.offering.modules.all()]
            e.modules_done = len(done)
    return LearnerRecord(para, enrollments, transfers, items)


def declared_plan(para: Staff) -> PlanDeclaration | None:
    """The plan the paraprofessional declared: no query when ``para`` was fetched with
    ``select_related("declared_plan__plan")``."""
    if Staff.declared_plan.is_cached(para):
        try:
            return para.declared_plan
        except PlanDeclaration.DoesNotExist:
            return None
    return PlanDeclaration.objects.filter(para=para).select_related("plan").first()


def _count(queryset: QuerySet) -> Subquery:
    """A correlated COUNT(*) of ``queryset`` (already filtered on OuterRef)."""
    return Coalesce(
        Subquery(queryset.order_by().values("offering_id").annotate(n=Count("*")).values("n")[:1]),
        0,
    )


def offering_summaries(offerings: QuerySet[Offering]) -> QuerySet[Offering]:
    """Offerings with their counts of enrollments, open enrollments and modules (one
    query: each count is its own subquery, so the joins do not multiply)."""
    mine = Enrollment.objects.filter(offering=OuterRef("pk"))
    return offerings.select_related("course", "cohort").annotate(
        enrolled_count=_count(mine),
        open_count=_count(mine.filter(status=Enrollment.Status.ENROLLED)),
        module_count=_count(Module.objects.filter(offering=OuterRef("pk"))),
    )


def offerings_waiting_for_grades(offerings: QuerySet[Offering]) -> QuerySet[Offering]:
    """Offerings that have ended with enrollments still open (no grade): one query."""
    today = timezone.localdate()
    still_open = Enrollment.objects.filter(
        offering=OuterRef("pk"), status=Enrollment.Status.ENROLLED
    )
    return (
        offerings.filter(ends_on__lt=today)
        .filter(Exists(still_open))
        .annotate(ungraded=_count(still_open))
        .select_related("course", "cohort")
        .order_by("ends_on", "course__code", "section")
    )


def roster(offering: Offering) -> QuerySet[Enrollment]:
    return (
        offering.enrollments.select_related("para__district", "para__school")
        .annotate(modules_done=Count("completions"))
        .order_by("para__last_name", "para__first_name", "id")
    )


def credits_earned_sum(prefix: str = "") -> Coalesce:
    """SQL: the credit hours of passed enrollments, for annotate/aggregate."""
    passed = Q(**{f"{prefix}status": Enrollment.Status.COMPLETED}) & Q(
        **{f"{prefix}grade__in": sorted(PASSING_GRADES)}
    )
    return Coalesce(
        Sum(f"{prefix}offering__course__credit_hours", filter=passed),
        Value(Decimal("0")),
        output_field=DecimalField(max_digits=7, decimal_places=1),
    )


def learner_summaries(paras: QuerySet[Staff]) -> list[Staff]:
    """Paraprofessionals with their declared plan, courses in progress and "credits
    earned" as their transcript counts it (three queries). Callers pass a page of people:
    the counts are correlated subqueries over each person's own enrollments (by the
    ``para_id`` index), and the credits are worked out from those people's rows only."""
    mine = Enrollment.objects.filter(para=OuterRef("pk")).order_by().values("para_id")
    rows = list(
        paras.select_related("district", "school", "declared_plan__plan")
        .annotate(
            open_enrollments=Coalesce(
                Subquery(
                    mine.filter(status=Enrollment.Status.ENROLLED)
                    .annotate(n=Count("*"))
                    .values("n")[:1]
                ),
                0,
            ),
            pending_transfer=Exists(
                TransferCredit.objects.filter(para=OuterRef("pk"), verified_at__isnull=True)
            ),
        )
        .order_by("last_name", "first_name", "id")
    )
    earned = credits_earned(rows)
    for p in rows:
        p.credits_earned = earned[p.pk]
    return rows


def district_cohort_report(enrollments: QuerySet[Enrollment]) -> list[dict]:
    """Per district and cohort: paraprofessionals, enrollments, completions, passes and
    credits earned (one grouped query, then the names of the groups' districts and
    cohorts: three in all). Groups of fewer than five people are marked ``suppressed`` so
    pages show no figures for them."""
    rows = list(
        enrollments.values(district_id=F("para__district_id"), cohort_id=F("offering__cohort_id"))
        .annotate(
            people=Count("para", distinct=True),
            enrollments=Count("id"),
            completions=Count("id", filter=Q(status=Enrollment.Status.COMPLETED)),
            passed=Count("id", filter=PASSED),
            withdrawn=Count("id", filter=Q(status=Enrollment.Status.WITHDRAWN)),
            credits=credits_earned_sum(),
        )
        .order_by()
    )
    districts = District.objects.in_bulk({r["district_id"] for r in rows})
    cohorts = Cohort.objects.in_bulk({r["cohort_id"] for r in rows})
    report = [
        {
            **row,
            "district": districts[row["district_id"]],
            "cohort": cohorts[row["cohort_id"]],
            "suppressed": row["people"] < MIN_GROUP,
        }
        for row in rows
    ]
    return sorted(report, key=lambda r: (-r["cohort"].starts_on.toordinal(), r["district"].name))


# --- reports ---------------------------------------------------------------------------


def passed_course_in_domain(para, cohort, domain) -> Exists:
    """SQL: the paraprofessional passed a course of the cohort that targets the domain.
    Arguments are expressions (usually ``OuterRef``s) for the para, cohort and pilot
    question, so another app's query can line its rows up with coursework."""
    return Exists(
        Enrollment.objects.filter(
            PASSED,
            para=para,
            offering__cohort=cohort,
            offering__course__target_domains__domain=domain,
        )
    )


def _figures() -> dict:
    return {
        "people": Count("para", distinct=True),
        "enrollments": Count("id"),
        "completions": Count("id", filter=Q(status=Enrollment.Status.COMPLETED)),
        "passed": Count("id", filter=PASSED),
        "credits": credits_earned_sum(),
    }


def totals_of(groups: Iterable[dict]) -> dict:
    """``people``, ``enrollments``, ``completions``, ``passed`` and ``credits`` over groups
    no paraprofessional is in twice (such as ``figures_by_district``'s): every figure adds
    up."""
    totals = {"people": 0, "enrollments": 0, "completions": 0, "passed": 0}
    totals["credits"] = Decimal("0")
    for group in groups:
        for name in totals:
            totals[name] += group[name]
    return totals


def figures_by_district(enrollments: QuerySet[Enrollment]) -> dict[int, dict]:
    """Per district id of the paraprofessional: ``people`` (enrolled), ``enrollments``,
    ``completions``, ``passed`` and ``credits`` (earned). One query."""
    rows = enrollments.order_by().values(district=F("para__district_id")).annotate(**_figures())
    return {row.pop("district"): row for row in rows}


def cohort_figures_by_district(
    enrollments: QuerySet[Enrollment], cohort: Cohort, districts: Iterable[int] | None
) -> dict[int, dict]:
    """``figures_by_district`` of ``enrollments``, which are the enrollments in the
    cohort's offerings of the paraprofessionals of ``districts`` (ids; None: every
    district). Where the triggers keep it, read from the summary ``CohortCredits`` (one
    row per person and cohort: a few thousand rows for the whole state, not tens of
    thousands of enrollments); elsewhere counted live."""
    if not kept():
        return figures_by_district(enrollments)
    rows = CohortCredits.objects.filter(cohort=cohort)
    if districts is not None:
        rows = rows.filter(para__district_id__in=list(districts))
    rows = (
        rows.order_by()
        .values(district=F("para__district_id"))
        .annotate(
            people=Count("id"),
            enrollments=Sum("enrollments"),
            completions=Sum("completions"),
            passed=Sum("passed"),
            credits=Sum("credits"),
        )
    )
    return {row.pop("district"): row for row in rows}


def passed_by_domain(enrollments: QuerySet[Enrollment]) -> dict[str, dict]:
    """Per pilot question: passed enrollments in courses targeting it (``passed``), the
    paraprofessionals who passed one (``people``) and their ``credits``. One query."""
    rows = (
        enrollments.filter(PASSED, offering__course__target_domains__isnull=False)
        .order_by()
        .values(domain=F("offering__course__target_domains__domain"))
        .annotate(
            passed=Count("id"),
            people=Count("para", distinct=True),
            credits=credits_earned_sum(),
        )
    )
    return {row["domain"]: row for row in rows}
