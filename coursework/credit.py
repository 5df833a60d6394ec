"""Credit arithmetic: which credit a paraprofessional has, and how it fills a degree plan.

Pure functions over small frozen records (no database), in ``Decimal`` throughout. The
rules:

- a completed enrollment with a passing grade (A, B, C or P) earns the course's credit
  hours; D, F, W and I earn nothing; an enrollment still open is credit in progress;
- transfer credit counts only once verified; with an equivalent course it stands for
  that course, otherwise it is an elective;
- a course counts once: retakes, or a course also brought in as transfer credit, give
  its credit one time;
- each block of a plan is capped at its requirement: a course fills the block that lists
  it, what does not fit there (or fits no block) goes to the plan's open blocks
  (electives), and credit with nowhere to go is reported as not applied.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal("0")
PASSING = frozenset({"A", "B", "C", "P"})
IN_PROGRESS_STATUSES = frozenset({"enrolled"})


@dataclass(frozen=True)
class EnrollmentFacts:
    course_id: int
    label: str
    credit_hours: Decimal
    status: str  # enrolled / completed / withdrawn / incomplete
    grade: str  # "" or a letter of the scale


@dataclass(frozen=True)
class TransferFacts:
    key: str  # unique per transfer credit (its uuid)
    label: str
    credit_hours: Decimal
    verified: bool
    equivalent_course_id: int | None = None


@dataclass(frozen=True)
class CreditItem:
    """Credit for one course (or one unmatched transfer credit), earned or in progress."""

    key: str
    label: str
    credits: Decimal
    earned: bool
    course_id: int | None = None
    source: str = "course"  # course / transfer


@dataclass(frozen=True)
class Block:
    key: int | str
    name: str
    required: Decimal
    course_ids: frozenset[int] = frozenset()
    is_open: bool = False


@dataclass(frozen=True)
class Plan:
    name: str
    total: Decimal
    blocks: tuple[Block, ...]


@dataclass
class Applied:
    item: CreditItem
    credits: Decimal


@dataclass
class BlockProgress:
    block: Block
    earned: Decimal = ZERO
    in_progress: Decimal = ZERO
    applied: list[Applied] = field(default_factory=list)

    @property
    def required(self) -> Decimal:
        return self.block.required

    @property
    def remaining(self) -> Decimal:
        return max(ZERO, self.required - self.earned - self.in_progress)

    @property
    def room(self) -> Decimal:
        return self.required - self.earned - self.in_progress

    @property
    def is_complete(self) -> bool:
        return self.earned >= self.required


@dataclass
class PlanProgress:
    plan: Plan
    blocks: list[BlockProgress]
    not_applied: list[Applied]

    @property
    def required(self) -> Decimal:
        return self.plan.total

    @property
    def earned(self) -> Decimal:
        return min(self.plan.total, sum((b.earned for b in self.blocks), ZERO))

    @property
    def in_progress(self) -> Decimal:
        room = self.plan.total - self.earned
        return min(room, sum((b.in_progress for b in self.blocks), ZERO))

    @property
    def remaining(self) -> Decimal:
        return max(ZERO, self.plan.total - self.earned - self.in_progress)

    @property
    def is_complete(self) -> bool:
        return self.earned >= self.plan.total and all(b.is_complete for b in self.blocks)


def earns_credit(status: str, grade: str) -> bool:
    return status == "completed" and grade in PASSING


def credit_items(
    enrollments: Iterable[EnrollmentFacts], transfers: Iterable[TransferFacts] = ()
) -> list[CreditItem]:
    """One item per course (earned if any attempt earned it, else in progress if an
    attempt is open), plus one per verified transfer credit with no equivalent course."""
    earned: dict[int, CreditItem] = {}
    in_progress: dict[int, CreditItem] = {}
    for e in enrollments:
        key = f"course-{e.course_id}"
        if earns_credit(e.status, e.grade):
            item = CreditItem(key, e.label, e.credit_hours, True, e.course_id)
            earned[e.course_id] = _larger(earned.get(e.course_id), item)
        elif e.status in IN_PROGRESS_STATUSES:
            item = CreditItem(key, e.label, e.credit_hours, False, e.course_id)
            in_progress[e.course_id] = _larger(in_progress.get(e.course_id), item)
    loose: list[CreditItem] = []
    for t in transfers:
        if not t.verified:
            continue
        if t.equivalent_course_id is None:
            loose.append(
                CreditItem(f"transfer-{t.key}", t.label, t.credit_hours, True, None, "transfer")
            )
            continue
        item = CreditItem(
            f"course-{t.equivalent_course_id}",
            t.label,
            t.credit_hours,
            True,
            t.equivalent_course_id,
            "transfer",
        )
        earned[t.equivalent_course_id] = _larger(earned.get(t.equivalent_course_id), item)
    items = list(earned.values())
    items += [item for course_id, item in in_progress.items() if course_id not in earned]
    items += loose
    return sorted(items, key=lambda i: (not i.earned, i.label, i.key))


def _larger(current: CreditItem | None, new: CreditItem) -> CreditItem:
    return new if current is None or new.credits > current.credits else current


def total_earned(items: Iterable[CreditItem]) -> Decimal:
    return sum((i.credits for i in items if i.earned), ZERO)


def total_in_progress(items: Iterable[CreditItem]) -> Decimal:
    return sum((i.credits for i in items if not i.earned), ZERO)


def plan_progress(plan: Plan, items: Iterable[CreditItem]) -> PlanProgress:
    """Fill the plan's blocks: earned credit first, then credit in progress, each capped."""
    blocks = [BlockProgress(b) for b in plan.blocks]
    home = {course_id: bp for bp in blocks for course_id in bp.block.course_ids}
    open_blocks = [bp for bp in blocks if bp.block.is_open]
    not_applied: list[Applied] = []
    ordered = list(items)
    for earned in (True, False):
        for item in (i for i in ordered if i.earned == earned):
            left = item.credits
            targets = []
            if item.course_id is not None and item.course_id in home:
                targets.append(home[item.course_id])
            targets += [bp for bp in open_blocks if bp not in targets]
            for bp in targets:
                take = min(left, max(ZERO, bp.room))
                if take > ZERO:
                    bp.applied.append(Applied(item, take))
                    if earned:
                        bp.earned += take
                    else:
                        bp.in_progress += take
                    left -= take
                if left == ZERO:
                    break
            if left > ZERO:
                not_applied.append(Applied(item, left))
    return PlanProgress(plan, blocks, not_applied)


def format_credits(value: Decimal | None) -> str:
    """Credit hours written out: 3, 1.5, 12 (no trailing .0)."""
    text = f"{Decimal(value or 0).quantize(Decimal('0.1')):f}"
    return text[:-2] if text.endswith(".0") else text


def percent(part: Decimal, whole: Decimal) -> int:
    """A whole-number percentage for labels, never above 100."""
    if whole <= ZERO:
        return 0
    return int(min(Decimal(100), part * 100 / whole).to_integral_value())


GRADE_POINTS = {"A": Decimal(4), "B": Decimal(3), "C": Decimal(2), "D": Decimal(1), "F": ZERO}


def grade_point_average(graded: Iterable[tuple[str, Decimal]]) -> Decimal | None:
    """Credit-weighted average of letter grades A–F (P, W and I do not count), to two
    places; None when nothing is graded A–F yet."""
    points = hours = ZERO
    for grade, credit_hours in graded:
        if grade in GRADE_POINTS:
            points += GRADE_POINTS[grade] * credit_hours
            hours += credit_hours
    if hours == ZERO:
        return None
    return (points / hours).quantize(Decimal("0.01"))
