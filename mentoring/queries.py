"""Read-side query functions: every list and summary in a fixed number of queries.

Coordinators get numbers from here (session counts, minutes per month, goal counts);
the text of notes and goals is only read through ``pilot.access.visible_sessions`` /
``visible_goals``, which hold the pair's records alone.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from pilot.models import Cohort, District, School, Staff
from pilot.summaries import kept

from .models import Goal, MentoringSession, MonthlyMentoring, Pairing, SupportRole


def _count(qs: QuerySet, value: str = "id") -> Subquery:
    return Coalesce(
        Subquery(
            qs.order_by().values("pairing").annotate(n=Count(value)).values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def with_summary(pairings: QuerySet[Pairing]) -> QuerySet[Pairing]:
    """Pairings with the members, school and the numbers every viewer may see."""
    sessions = MentoringSession.objects.filter(pairing=OuterRef("pk"))
    goals = Goal.objects.filter(pairing=OuterRef("pk"))
    return pairings.select_related(
        "cohort",
        "district",
        "teacher",
        "paraprofessional",
        "paraprofessional__school",
    ).annotate(
        session_count=_count(sessions),
        minutes_total=Coalesce(
            Subquery(
                sessions.order_by().values("pairing").annotate(m=Sum("minutes")).values("m"),
                output_field=IntegerField(),
            ),
            0,
        ),
        last_session_on=Subquery(sessions.order_by("-held_on").values("held_on")[:1]),
        open_goal_count=_count(goals.filter(status=Goal.Status.OPEN)),
    )


@dataclass
class PairingNumbers:
    """What a coordinator may know about a pair's sessions and goals."""

    session_count: int = 0
    minutes_total: int = 0
    months: list[tuple[date, int, int]] = field(default_factory=list)  # month, sessions, min
    goals: dict[str, int] = field(default_factory=dict)

    @property
    def goal_total(self) -> int:
        return sum(self.goals.values())


def pairing_numbers(pairing: Pairing) -> PairingNumbers:
    """Session counts and minutes per month, and goal counts by status: two queries."""
    months = list(
        MentoringSession.objects.filter(pairing=pairing)
        .annotate(month=TruncMonth("held_on"))
        .order_by("month")
        .values("month")
        .annotate(n=Count("id"), minutes=Sum("minutes"))
        .values_list("month", "n", "minutes")
    )
    goal_counts = dict(
        Goal.objects.filter(pairing=pairing)
        .order_by()
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return PairingNumbers(
        session_count=sum(n for _, n, _ in months),
        minutes_total=sum(m for _, _, m in months),
        months=months,
        goals={status: goal_counts.get(status, 0) for status in Goal.Status.values},
    )


def support_role_counts(district: District) -> list[dict]:
    """Paraprofessionals per support role and MTSS tier, by school (active pairings).

    Two queries, whatever the size of the district. Every school appears, with its
    support model, even when none of its paraprofessionals has a role recorded yet.
    """
    counts = (
        SupportRole.objects.filter(
            pairing__district=district, pairing__status=Pairing.Status.ACTIVE
        )
        .order_by()
        .values_list("pairing__paraprofessional__school", "role", "tier")
        .annotate(n=Count("pairing__paraprofessional", distinct=True))
    )
    by_school: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))
    for school_id, role, tier, n in counts:
        by_school[school_id][role][tier - 1] = n
    result = []
    for school in School.objects.filter(district=district).order_by("name", "id"):
        roles = by_school.get(school.id, {})
        result.append(
            {
                "school": school,
                "roles": [
                    {"label": label, "tiers": roles[value], "total": sum(roles[value])}
                    for value, label in SupportRole.Role.choices
                    if value in roles
                ],
            }
        )
    return result


def unpaired_staff(staff: QuerySet[Staff], cohort: Cohort, role: str) -> QuerySet[Staff]:
    """Active staff of the given role, in districts enrolled in the cohort, with no active
    pairing in it."""
    member = "paraprofessional" if role == Staff.Role.PARAPROFESSIONAL else "teacher"
    active = Pairing.objects.filter(
        cohort=cohort, status=Pairing.Status.ACTIVE, **{member: OuterRef("pk")}
    )
    return (
        staff.filter(
            role=role,
            is_active=True,
            district__cohort_enrollments__cohort=cohort,
            district__cohort_enrollments__withdrawn_on__isnull=True,
        )
        .exclude(Exists(active))
        .select_related("district", "school")
        .order_by("district__name", "last_name", "first_name", "id")
    )


def member_panel(staff: Staff, today: date | None = None) -> list[Pairing]:
    """A teacher's or paraprofessional's own active pairings for the dashboard (one query),
    each with ``month_sessions`` and ``month_minutes`` (this calendar month) and
    ``last_next_steps`` (the latest session's next steps the pair wrote down)."""
    today = today or timezone.localdate()
    pairings = Pairing.objects.filter(
        Q(teacher=staff) | Q(paraprofessional=staff), status=Pairing.Status.ACTIVE
    ).select_related("teacher__school")
    sessions = MentoringSession.objects.filter(pairing=OuterRef("pk"))
    this_month = sessions.filter(held_on__gte=today.replace(day=1), held_on__lte=today)
    return list(
        with_summary(pairings)
        .annotate(
            month_sessions=_count(this_month),
            month_minutes=Coalesce(
                Subquery(
                    this_month.order_by().values("pairing").annotate(m=Sum("minutes")).values("m"),
                    output_field=IntegerField(),
                ),
                0,
            ),
            last_next_steps=Subquery(
                sessions.exclude(next_steps="").order_by("-held_on", "-id").values("next_steps")[:1]
            ),
        )
        .order_by("paraprofessional__last_name", "id")
    )


# --- reports ---------------------------------------------------------------------------


def _months(pairings: QuerySet[Pairing]) -> QuerySet:
    """The pairings' mentoring as rows with ``pairing``, ``month`` (first day),
    ``sessions`` and ``minutes``, to be summed. Where the triggers keep it
    (``pilot.summaries.kept``), the summary ``MonthlyMentoring``, a row per pairing and
    month; elsewhere (SQLite) the sessions themselves, each counting one."""
    if kept():
        return MonthlyMentoring.objects.filter(pairing__in=pairings)
    return MentoringSession.objects.filter(pairing__in=pairings).annotate(
        month=TruncMonth("held_on")
    )


def _month_sums() -> dict:
    """``minutes`` and ``session_count`` aggregated from pairings joined to ``_months``'
    rows (pairing figures beside them must be counted distinct)."""
    relation = "monthly" if kept() else "sessions"
    sessions = Sum("monthly__sessions") if kept() else Count("sessions")
    return {
        "minutes": Coalesce(Sum(f"{relation}__minutes"), 0),
        "session_count": Coalesce(sessions, 0),
    }


def _mentoring_sums() -> dict:
    """``sessions``, ``minutes`` and ``pairs`` over ``_months``' rows."""
    return {
        "sessions": Coalesce(Sum("sessions") if kept() else Count("id"), 0),
        "minutes": Coalesce(Sum("minutes"), 0),
        "pairs": Count("pairing", distinct=True),
    }


def minutes_by_month(pairings: QuerySet[Pairing]) -> list[dict]:
    """Per calendar month: ``month`` (first day), ``pairs`` (pairings with a session that
    month), ``sessions`` and ``minutes``. Numbers only, never notes. One query, over the
    summary ``MonthlyMentoring`` (a row per pairing and month) where it is kept."""
    return list(_months(pairings).order_by("month").values("month").annotate(**_mentoring_sums()))


def mentoring_totals(pairings: QuerySet[Pairing], since: date | None = None) -> dict:
    """``sessions``, ``minutes`` and ``pairs`` (pairings with a session) over the
    pairings' sessions, from ``since`` when given. One query; from the monthly summary
    when ``since`` is the first of a month (the dashboard's "this month")."""
    if since is None or since.day == 1:
        rows = _months(pairings)
        if since is not None:
            rows = rows.filter(month__gte=since)
        return rows.aggregate(**_mentoring_sums())
    sessions = MentoringSession.objects.filter(pairing__in=pairings, held_on__gte=since)
    return sessions.aggregate(
        sessions=Count("id"),
        minutes=Coalesce(Sum("minutes"), 0),
        pairs=Count("pairing", distinct=True),
    )


def goals_by_focus(pairings: QuerySet[Pairing]) -> dict[str, dict]:
    """Per focus area (pilot question): goals ``set`` and ``met``, and ``pairs`` (pairings
    that set one). One query."""
    rows = (
        Goal.objects.filter(pairing__in=pairings)
        .order_by()
        .values("focus_area")
        .annotate(
            set=Count("id"),
            met=Count("id", filter=Q(status=Goal.Status.MET)),
            pairs=Count("pairing", distinct=True),
        )
    )
    return {row["focus_area"]: row for row in rows}


def pairing_counts_by_district(pairings: QuerySet[Pairing]) -> dict[int, dict]:
    """Per district id: ``pairings``, ``completed``, ``paraprofessionals``, ``sessions``
    and ``minutes``. One query: the pairings joined to their monthly summary rows once,
    grouped by district (pairing figures counted distinct, so the months do not multiply
    them).
    A per-district session subquery here ran once for every pairing row."""
    rows = (
        pairings.order_by()
        .values("district")
        .annotate(
            pairing_count=Count("id", distinct=True),
            completed=Count("id", filter=Q(status=Pairing.Status.COMPLETED), distinct=True),
            paraprofessionals=Count("paraprofessional", distinct=True),
            **_month_sums(),
        )
    )
    result = {}
    for row in rows:
        district = row.pop("district")
        row["sessions"] = row.pop("session_count")
        result[district] = {**row, "pairings": row.pop("pairing_count")}
    return result


def active_pairings_of(staff: Staff) -> QuerySet[Pairing]:
    """The active pairings a staff member is in, as teacher or paraprofessional."""
    return (
        Pairing.objects.filter(Q(teacher=staff) | Q(paraprofessional=staff), status="active")
        .select_related("teacher", "paraprofessional", "cohort")
        .order_by("cohort__starts_on")
    )


def mentee_ids(teacher: Staff) -> QuerySet:
    """The ids of the paraprofessionals a teacher mentors now: those sharing an active
    pairing with them (for ``pilot.access.relations.MENTEES``)."""
    return Pairing.objects.filter(teacher=teacher, status=Pairing.Status.ACTIVE).values(
        "paraprofessional_id"
    )
